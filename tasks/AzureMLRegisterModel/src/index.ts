import { runTask } from "../../common/src/errors/runTask";
import { runRegisterTask } from "./run";

runTask(runRegisterTask);
