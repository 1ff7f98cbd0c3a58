import { failTask } from "../../common/src/errors/failTask";
import { runWorkspaceTask } from "./run";

runWorkspaceTask().catch(failTask);
