import { InputError } from "../errors/inputError";
import { NameRule } from "../naming/azureNameRules";
import { quoted } from "../text/printable";
import { describeOrigins, firstValue, SourcedValue, ValueOrigin } from "./sourcedValue";

/**
 * A resource name from the first origin that has one, else DESIGN §1's default: a prefix
 * followed by NAMESPACE (`sa$(NAMESPACE)`). The variable is named in the source so that an
 * invalid derived name points at both the variable and NAMESPACE.
 */
export function nameOrDerived(
  origins: ValueOrigin[],
  derived: { variable: string; prefix: string; rule: NameRule },
  namespace: SourcedValue | undefined,
): SourcedValue {
  const given = firstValue(...origins);
  if (given) return given;
  if (!namespace) {
    throw new InputError(
      `No ${derived.rule.resource} name is set: give one in ${describeOrigins(origins)}, ` +
        `or set NAMESPACE so that it defaults to '${derived.prefix}<NAMESPACE>'.`,
    );
  }
  return {
    value: `${derived.prefix}${namespace.value}`,
    source: `${derived.variable} (default '${derived.prefix}' + ${namespace.source} ${quoted(namespace.value)})`,
  };
}
