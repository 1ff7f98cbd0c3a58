// Undoes the escaping azure-pipelines-task-lib applies to the data of a `##vso[...]` command.
export { unescapeCommandText as unescapeCommandData } from "../../local/runner/loggingCommands";
