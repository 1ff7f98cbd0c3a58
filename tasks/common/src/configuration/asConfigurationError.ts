import { InputError } from "../errors/inputError";
import { ConfigurationError } from "./configurationErrors";

/** The shared file and YAML checks speak of inputs in general; for a configuration file they are configuration errors. */
export function asConfigurationError<T>(load: () => T): T {
  try {
    return load();
  } catch (error) {
    if (error instanceof InputError) throw new ConfigurationError(error.message);
    throw error;
  }
}
