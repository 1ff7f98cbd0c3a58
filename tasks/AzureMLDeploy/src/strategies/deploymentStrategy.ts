import type { OnlineOutcome } from "../online/onlineRollout";

/** What the Docker build context strategy wrote and published. */
export interface DockerContextOutcome {
  kind: "dockerContext";
  contextPath: string;
  artifactName: string;
  files: string[];
  modelDir: string;
  requirements: string[];
  baseImage: string;
  /** The registered version the context carries, and how it was found ("churn:7 (churn@latest)"). */
  model: { name: string; version: string; outcome: string };
}

export type DeploymentOutcome = OnlineOutcome | DockerContextOutcome;

/**
 * One way of putting the model where it serves: a managed online endpoint, a Kubernetes online
 * endpoint, or a Docker build context. `run.ts` picks one through `createDeploymentStrategy`
 * from input 'target', and reports what it did.
 */
export interface DeploymentStrategy {
  deploy(): Promise<DeploymentOutcome>;
}
