import { secretTermInKey } from "../../../common/src/configuration/secretKeyNames";
import { secretShapesOf } from "../../../common/src/configuration/secretValues";
import { InputError } from "../../../common/src/errors/inputError";
import { hasControlCharacter, quoted } from "../../../common/src/text/printable";

/*
 * The deployment's `environment_variables` become the image's ENV. An image keeps its ENV for
 * anyone who can pull it (`docker inspect`), so a value that looks like a secret, or a variable
 * whose name says it holds one, is refused: such a value belongs in `docker run -e` or the
 * platform's secret store. The check is the configuration files' secret scan.
 */

/** Set by the image to where it puts the code, the scoring script and the model; a deployment may not move them. */
export const imagePathVariables = ["AZUREML_MODEL_DIR", "AML_APP_ROOT", "AZUREML_ENTRY_SCRIPT"] as const;

const variableName = /^[A-Za-z_][A-Za-z0-9_]*$/;
const harmlessSwitch = /^(true|false|yes|no|on|off|0|1)$/i;

/** The deployment's variables, in the file's order, refused one sentence at a time; `file` is the deployment file. */
export function imageVariables(variables: Record<string, string>, file: string): [string, string][] {
  return Object.entries(variables).map(([name, value], position) => {
    if (secretShapesOf(name).length > 0) {
      throw new InputError(
        `The deployment file ${quoted(file)} has an environment variable (number ${position + 1}) whose name looks like a secret; a Docker image shows its ENV to anyone who can pull it.`,
      );
    }
    const where = `The deployment file ${quoted(file)} sets environment variable ${quoted(name)}`;
    if (!variableName.test(name)) throw new InputError(`${where}, whose name a Dockerfile cannot take: letters, digits and '_', not starting with a digit.`);
    if ((imagePathVariables as readonly string[]).includes(name)) {
      throw new InputError(`${where}, which the image sets itself to where it puts the code and the model; leave it out of 'environment_variables'.`);
    }
    const shapes = secretShapesOf(value);
    const term = secretTermInKey(name);
    const reason =
      shapes.length > 0
        ? `its value looks like ${shapes.join(" and ")}`
        : term !== undefined && value !== "" && !harmlessSwitch.test(value)
          ? `its name says it holds a secret (${term})`
          : undefined;
    if (reason !== undefined) {
      throw new InputError(
        `${where}, and ${reason}: a Docker image shows its ENV to anyone who can pull it. Pass it when the container starts (docker run -e ${name}=…) or from the platform's secret store, and leave it out of the deployment file.`,
      );
    }
    if (hasControlCharacter(value)) throw new InputError(`${where} to a value with a line break or control character, which a Dockerfile ENV cannot hold.`);
    return [name, value];
  });
}
