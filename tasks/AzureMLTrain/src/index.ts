import { runTask } from "../../common/src/errors/runTask";
import { runTrainTask } from "./run";

runTask(runTrainTask);
