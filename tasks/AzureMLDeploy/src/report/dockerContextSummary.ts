import { markdownRows, markdownText } from "../../../common/src/text/markdownText";
import type { DockerContextOutcome } from "../strategies/deploymentStrategy";

const t = markdownText;

/** The run summary page of a Docker build context: what it carries, and every file written. */
export function dockerContextSummaryMarkdown(outcome: DockerContextOutcome): string {
  const rows = [
    ["Model", t(outcome.model.outcome)],
    ["Folder", t(outcome.contextPath)],
    ["Artifact", t(outcome.artifactName)],
    ["Base image", t(outcome.baseImage)],
    [t("AZUREML_MODEL_DIR in the image"), t(outcome.modelDir)],
    ["Requirements", outcome.requirements.length > 0 ? outcome.requirements.map(t).join(", ") : "none"],
  ];
  const lines = [
    `### Docker build context: model ${t(outcome.model.name)}:${t(outcome.model.version)}`,
    "",
    markdownRows(["Item", "Value"], rows),
    "",
    `#### Files (${outcome.files.length})`,
    "",
    ...outcome.files.map((file) => `- ${t(file)}`),
  ];
  return `${lines.join("\n")}\n`;
}

/** The one sentence the task ends with. */
export function dockerContextClosingSentence(outcome: DockerContextOutcome): string {
  return `Docker build context for model ${outcome.model.name}:${outcome.model.version} written to ${outcome.contextPath} (${outcome.files.length} files) and published as artifact '${outcome.artifactName}'.`;
}
