import { runTask } from "../../common/src/errors/runTask";
import { runDeployTask } from "./run";

runTask(runDeployTask);
