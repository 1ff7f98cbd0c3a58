import { runTask } from "../../common/src/errors/runTask";
import { runWorkspaceTask } from "./run";

runTask(runWorkspaceTask);
