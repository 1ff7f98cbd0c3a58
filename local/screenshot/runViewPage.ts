import { escapeHtml, markdownHtml } from "./markdownHtml";
import { RecordedRun, RecordedStep } from "./recordRun";

// A recorded run as one HTML page styled like Azure DevOps' run view: the job's steps with their
// results and times, one step's log as the agent shows it (logging commands read, not printed;
// sections, groups, warnings and errors marked; numbered lines), and the summaries the steps
// uploaded, rendered from their markdown.

/** The log lines the agent shows for a step: its header from task.json, the task's output without logging commands, its footer. */
export function visibleLogLines(step: RecordedStep): string[] {
  const rule = "=".repeat(78);
  const info = step.taskInfo;
  const header = [
    `##[section]Starting: ${step.displayName}`,
    rule,
    `Task         : ${info.friendlyName}`,
    `Description  : ${info.description}`,
    `Version      : ${info.version}`,
    `Author       : ${info.author}`,
    `Help         : ${info.helpUrl}`,
    rule,
  ];
  const output = step.lines.filter((line) => line !== "" && !line.startsWith("##vso["));
  return [...header, ...output, `##[section]Finishing: ${step.displayName}`];
}

function logLineHtml(line: string, number: number, inGroup: boolean): string {
  const marker = /^##\[(section|group|endgroup|warning|error|command)\](.*)$/.exec(line);
  const kind = marker?.[1] ?? "text";
  const text = marker ? marker[2] : line;
  const shown = kind === "group" ? `<span class="chevron">⌄</span>${escapeHtml(text)}` : escapeHtml(text);
  const indent = inGroup && kind !== "group" ? " grouped" : "";
  return `<div class="line ${kind}${indent}"><span class="number">${number}</span><span class="text">${shown}</span></div>`;
}

function logHtml(step: RecordedStep): string {
  let inGroup = false;
  const rows: string[] = [];
  for (const line of visibleLogLines(step)) {
    if (line.startsWith("##[endgroup]")) {
      inGroup = false;
      continue;
    }
    rows.push(logLineHtml(line, rows.length + 1, inGroup));
    if (line.startsWith("##[group]")) inGroup = true;
  }
  return rows.join("\n");
}

const check = `<svg class="check" viewBox="0 0 16 16" aria-hidden="true"><circle cx="8" cy="8" r="8" fill="#339947"/><path d="M4.5 8.3l2.2 2.2 4.8-4.9" stroke="#fff" stroke-width="1.6" fill="none"/></svg>`;

function stepRow(step: RecordedStep, selected: boolean): string {
  return `<div class="step${selected ? " selected" : ""}">${check}<span class="name">${escapeHtml(step.displayName)}</span><span class="time">${step.seconds}s</span></div>`;
}

function summaryCards(run: RecordedRun): string {
  return run.steps
    .flatMap((step) => step.summaries.map((markdown) => ({ step, markdown })))
    .map(
      ({ step, markdown }) =>
        `<section class="card"><div class="card-title">${escapeHtml(step.taskInfo.friendlyName)}</div><div class="markdown">${markdownHtml(markdown)}</div></section>`,
    )
    .join("\n");
}

export interface RunViewOptions {
  /** The step whose log is open (its display name); the first step by default. */
  selectedStep?: string;
  /** Which summaries to show, by task reference (`AzureMLTrain@1`); all by default. */
  summariesOf?: string[];
  organization?: string;
  project?: string;
}

export function runViewHtml(run: RecordedRun, options: RunViewOptions = {}): string {
  const selected = run.steps.find((step) => step.displayName === options.selectedStep) ?? run.steps[0];
  const total = run.steps.reduce((sum, step) => sum + step.seconds, 0);
  const shownRun = { ...run, steps: run.steps.filter((step) => !options.summariesOf || options.summariesOf.includes(step.task)) };
  const organization = escapeHtml(options.organization ?? "contoso");
  const project = escapeHtml(options.project ?? "mlops");
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(run.pipelineName)} ${escapeHtml(run.runName)}</title>
<style>${STYLE}</style></head>
<body>
<header class="top">
  <span class="logo"></span><span class="crumb">${organization}</span><span class="sep">/</span><span class="crumb">${project}</span><span class="sep">/</span><span class="crumb">Pipelines</span><span class="sep">/</span><span class="crumb">${escapeHtml(run.pipelineName)}</span><span class="sep">/</span><span class="crumb strong">${escapeHtml(run.runName)}</span>
</header>
<main>
  <nav class="jobs">
    <div class="jobs-title">Jobs in run #${escapeHtml(run.runName)}</div>
    <div class="jobs-sub">${escapeHtml(run.pipelineName)}</div>
    <div class="stage">${escapeHtml(run.stage)}</div>
    <div class="job">${check}<span class="name">${escapeHtml(run.job)}</span><span class="time">${total}s</span></div>
    ${run.steps.map((step) => stepRow(step, step === selected)).join("\n    ")}
  </nav>
  <section class="log">
    <div class="log-title">${check}<span>${escapeHtml(selected.displayName)}</span><span class="view-raw">View raw log</span></div>
    <div class="log-lines">${logHtml(selected)}</div>
  </section>
  <aside class="summary">
    <div class="summary-title">Summary</div>
    ${summaryCards(shownRun)}
  </aside>
</main>
</body></html>
`;
}

const STYLE = `
* { box-sizing: border-box; }
body { margin: 0; font: 13px/1.45 "Segoe UI", "DejaVu Sans", "Liberation Sans", sans-serif; color: #201f1e; background: #f8f8f8; width: 1366px; height: 768px; overflow: hidden; }
.top { height: 44px; display: flex; align-items: center; gap: 8px; padding: 0 16px; background: #fff; border-bottom: 1px solid #e1dfdd; }
.logo { width: 22px; height: 22px; border-radius: 4px; background: linear-gradient(135deg, #0078d4, #0058a3); margin-right: 8px; }
.crumb { color: #605e5c; } .crumb.strong { color: #201f1e; font-weight: 600; } .sep { color: #c8c6c4; }
main { display: flex; height: 724px; }
.jobs { width: 270px; background: #fff; border-right: 1px solid #e1dfdd; padding: 14px 0; overflow: hidden; }
.jobs-title { font-size: 16px; font-weight: 600; padding: 0 16px; }
.jobs-sub { color: #605e5c; padding: 0 16px 12px; border-bottom: 1px solid #edebe9; }
.stage { font-weight: 600; padding: 10px 16px 4px; color: #605e5c; font-size: 12px; text-transform: uppercase; letter-spacing: .04em; }
.job, .step { display: flex; align-items: center; gap: 8px; padding: 6px 16px; }
.job { font-weight: 600; }
.step { padding-left: 32px; }
.step.selected { background: #deecf9; box-shadow: inset 3px 0 0 #0078d4; }
.name { flex: 1; overflow: hidden; white-space: nowrap; text-overflow: ellipsis; }
.time { color: #605e5c; font-size: 12px; }
.check { width: 16px; height: 16px; flex: none; }
.log { width: 610px; background: #fff; border-right: 1px solid #e1dfdd; display: flex; flex-direction: column; }
.log-title { display: flex; align-items: center; gap: 8px; padding: 12px 16px; font-size: 15px; font-weight: 600; border-bottom: 1px solid #edebe9; }
.view-raw { margin-left: auto; font-size: 12px; font-weight: 400; color: #0078d4; }
.log-lines { font: 12px/1.75 "Cascadia Mono", "DejaVu Sans Mono", "Liberation Mono", monospace; padding: 6px 0; overflow: hidden; flex: 1; }
.line { display: flex; white-space: pre; }
.number { width: 34px; flex: none; text-align: right; padding-right: 10px; color: #a19f9d; user-select: none; }
.text { overflow: hidden; text-overflow: ellipsis; }
.line.section .text { color: #107c10; font-weight: 600; }
.line.group .text { font-weight: 600; }
.chevron { display: inline-block; width: 14px; color: #605e5c; }
.line.grouped .text { padding-left: 14px; }
.line.warning .text { color: #8a6100; } .line.error .text { color: #a4262c; } .line.command .text { color: #0078d4; }
.summary { flex: 1; padding: 12px 16px; overflow: hidden; }
.summary-title { font-size: 16px; font-weight: 600; margin-bottom: 8px; }
.card { background: #fff; border-radius: 4px; box-shadow: 0 1.6px 3.6px rgba(0,0,0,.13), 0 .3px .9px rgba(0,0,0,.11); padding: 8px 14px 6px; margin-bottom: 10px; }
.card-title { font-size: 11px; text-transform: uppercase; letter-spacing: .04em; color: #605e5c; margin-bottom: 2px; }
.markdown h3 { font-size: 14px; margin: 2px 0 4px; } .markdown h4 { font-size: 12.5px; margin: 6px 0 2px; }
.markdown p { margin: 4px 0; }
.markdown table { border-collapse: collapse; width: 100%; font-size: 11.5px; }
.markdown th, .markdown td { text-align: left; padding: 1.5px 8px 1.5px 0; border-bottom: 1px solid #edebe9; max-width: 260px; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
.markdown th { color: #605e5c; font-weight: 600; }
.markdown table:not([data-columns="2"]) { table-layout: fixed; font-size: 11px; }
.markdown table:not([data-columns="2"]) th, .markdown table:not([data-columns="2"]) td { white-space: normal; overflow-wrap: anywhere; padding-right: 6px; }
.markdown code { font: 11.5px "DejaVu Sans Mono", monospace; background: #f3f2f1; padding: 0 3px; border-radius: 2px; }
.markdown a { color: #0078d4; text-decoration: none; }
`;
