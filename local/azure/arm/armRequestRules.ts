import { ArmError, armErrors } from "./armErrors";

/**
 * ARM's limits on tags (learn.microsoft.com, "Use tags to organize your Azure resources"): at most
 * 50 per resource or group, names up to 512 characters without < > % & \ ? /, values up to 256.
 * The swaggers declare tags only as a map of strings, so the validator cannot know these.
 * InvalidTagNameCharacters is ARM's code; ARM's codes for the count and length limits are not
 * documented, so those codes name the rule broken.
 */
export const tagLimits = { count: 50, nameLength: 512, valueLength: 256 } as const;

const reservedTagNameCharacters = /[<>%&\\?/]/;

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function deserializationError(path: string, expected: string): ArmError {
  return armErrors.invalidRequestContent(
    `The request content was invalid and could not be deserialized: 'Unexpected value at path '${path}': ${expected} was expected.'.`,
  );
}

function tagProblem(tags: unknown): ArmError | undefined {
  if (tags === undefined || tags === null) return undefined;
  if (!isPlainObject(tags)) return deserializationError("tags", "an object of tag names and string values");
  const entries = Object.entries(tags);
  for (const [name, value] of entries) {
    if (typeof value !== "string") return deserializationError(`tags.${name}`, "a string");
  }
  if (entries.length > tagLimits.count) {
    return new ArmError(
      400,
      "InvalidTagCount",
      `The resource has ${entries.length} tags; at most ${tagLimits.count} tags are allowed per resource or resource group.`,
    );
  }
  const reserved = entries.map(([name]) => name).filter((name) => reservedTagNameCharacters.test(name));
  if (reserved.length > 0) {
    return new ArmError(
      400,
      "InvalidTagNameCharacters",
      `The tag names '${reserved.join(",")}' have reserved characters '<,>,%,&,\\,?,/' or control characters.`,
    );
  }
  const longName = entries.find(([name]) => name.length > tagLimits.nameLength);
  if (longName) {
    return new ArmError(
      400,
      "InvalidTagNameLength",
      `The tag name '${longName[0].slice(0, 32)}…' has ${longName[0].length} characters; a tag name has at most ${tagLimits.nameLength}.`,
    );
  }
  const longValue = entries.find(([, value]) => (value as string).length > tagLimits.valueLength);
  if (longValue) {
    return new ArmError(
      400,
      "InvalidTagValueLength",
      `The value of tag '${longValue[0].slice(0, 64)}' has ${(longValue[1] as string).length} characters; a tag value has at most ${tagLimits.valueLength}.`,
    );
  }
  return undefined;
}

/**
 * What ARM itself checks in a resource's PUT or PATCH body before any resource provider sees it,
 * whatever the provider's swagger declares: `location` is a string and `tags` a map of strings
 * within ARM's limits. Nested objects carrying these names belong to the provider and are not
 * looked at. Undefined when the body passes.
 */
export function armBodyProblem(method: string, body: unknown): ArmError | undefined {
  if ((method !== "PUT" && method !== "PATCH") || !isPlainObject(body)) return undefined;
  if (body.location !== undefined && body.location !== null && typeof body.location !== "string") return deserializationError("location", "a string");
  return tagProblem(body.tags);
}
