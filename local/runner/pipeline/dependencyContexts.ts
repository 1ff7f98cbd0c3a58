import { Where } from "./pipelineError";
import { JobRecord, outputValues, StageRecord } from "./runRecords";
import { mapping, MappingNode, scalar } from "./yamlNodes";

/*
 * The `dependencies` and `stageDependencies` objects expressions read:
 * https://learn.microsoft.com/azure/devops/pipelines/process/expressions#dependencies
 *   stage level: dependencies.<stage>.result / .outputs['<job>.<step>.<var>']
 *   job level:   dependencies.<job>.result / .outputs['<step>.<var>']
 *                stageDependencies.<stage>.<job>.result / .outputs['<step>.<var>']
 * A deployment job's outputs carry its name once more: '<job>.<step>.<var>'.
 */

function record(result: string, outputs: Record<string, string>, at: Where): MappingNode {
  return mapping(
    [
      { key: scalar("result", at), value: scalar(result, at) },
      {
        key: scalar("outputs", at),
        value: mapping(
          Object.entries(outputs).map(([key, value]) => ({ key: scalar(key, at), value: scalar(value, at) })),
          at,
        ),
      },
    ],
    at,
  );
}

function stageOutputs(stage: StageRecord): Record<string, string> {
  const outputs: Record<string, string> = {};
  for (const job of stage.jobs) for (const [key, value] of Object.entries(outputValues(job))) outputs[`${job.name}.${key}`] = value;
  return outputs;
}

/** Stage level `dependencies`: the stages this one depends on. */
export function stageDependencies(stages: ReadonlyMap<string, StageRecord>, names: string[], at: Where): MappingNode {
  return mapping(
    names.flatMap((name) => {
      const stage = stages.get(name);
      return stage ? [{ key: scalar(name, at), value: record(stage.result, stageOutputs(stage), at) }] : [];
    }),
    at,
  );
}

/** Job level `dependencies`: the jobs of the stage this job depends on. */
export function jobDependencies(jobs: ReadonlyMap<string, JobRecord>, names: string[], at: Where): MappingNode {
  return mapping(
    names.flatMap((name) => {
      const job = jobs.get(name);
      return job ? [{ key: scalar(name, at), value: record(job.result, outputValues(job), at) }] : [];
    }),
    at,
  );
}

/** Job level `stageDependencies`: every job of the stages the job's stage depends on. */
export function jobStageDependencies(stages: ReadonlyMap<string, StageRecord>, names: string[], at: Where): MappingNode {
  return mapping(
    names.flatMap((name) => {
      const stage = stages.get(name);
      if (!stage) return [];
      const jobs = mapping(
        stage.jobs.map((job) => ({ key: scalar(job.name, at), value: record(job.result, outputValues(job), at) })),
        at,
      );
      return [{ key: scalar(name, at), value: jobs }];
    }),
    at,
  );
}
