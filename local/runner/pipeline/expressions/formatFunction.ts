import { ExpressionError } from "./expressionSyntax";
import { ExpressionValue, requireText } from "./expressionValues";

/*
 * `format('{0} and {1:yyyyMMdd}', a, pipeline.startTime)`: .NET composite formatting, `{{` and
 * `}}` for literal braces, and the custom date specifiers the expressions page lists for dates
 * (a date is an ISO 8601 text here, as `pipeline.startTime` is).
 */

const isoDate = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/;

const dateSpecifier = /yyyy|yy|MM|M|dd|d|HH|H|hh|h|mm|m|ss|s|f{1,7}|K|tt|'[^']*'|./g;

function pad(value: number, width: number): string {
  return String(value).padStart(width, "0");
}

function formatDate(date: Date, format: string): string {
  return format.replace(dateSpecifier, (token) => {
    switch (token) {
      case "yyyy":
        return pad(date.getUTCFullYear(), 4);
      case "yy":
        return pad(date.getUTCFullYear() % 100, 2);
      case "MM":
        return pad(date.getUTCMonth() + 1, 2);
      case "M":
        return String(date.getUTCMonth() + 1);
      case "dd":
        return pad(date.getUTCDate(), 2);
      case "d":
        return String(date.getUTCDate());
      case "HH":
        return pad(date.getUTCHours(), 2);
      case "H":
        return String(date.getUTCHours());
      case "hh":
        return pad(date.getUTCHours() % 12 || 12, 2);
      case "h":
        return String(date.getUTCHours() % 12 || 12);
      case "mm":
        return pad(date.getUTCMinutes(), 2);
      case "m":
        return String(date.getUTCMinutes());
      case "ss":
        return pad(date.getUTCSeconds(), 2);
      case "s":
        return String(date.getUTCSeconds());
      case "K":
        return "Z";
      case "tt":
        return date.getUTCHours() < 12 ? "AM" : "PM";
      default:
        if (/^f+$/.test(token)) return pad(date.getUTCMilliseconds(), 3).padEnd(token.length, "0").slice(0, token.length);
        if (token.startsWith("'")) return token.slice(1, -1);
        return token;
    }
  });
}

export function formatText(template: string, args: ExpressionValue[]): string {
  let result = "";
  let index = 0;
  while (index < template.length) {
    const char = template[index];
    if (char === "{" && template[index + 1] === "{") {
      result += "{";
      index += 2;
    } else if (char === "}" && template[index + 1] === "}") {
      result += "}";
      index += 2;
    } else if (char === "{") {
      const end = template.indexOf("}", index);
      if (end < 0) throw new ExpressionError(`format: '${template}' has a '{' that is never closed.`);
      const [position, specifier] = template.slice(index + 1, end).split(/:(.*)/s);
      const argument = /^\s*\d+\s*$/.test(position) ? args[Number(position)] : undefined;
      if (!argument) throw new ExpressionError(`format: '{${position}}' in '${template}' has no argument.`);
      const text = requireText(argument, `format's argument ${position}`);
      result += specifier !== undefined && isoDate.test(text) ? formatDate(new Date(text), specifier) : text;
      index = end + 1;
    } else if (char === "}") {
      throw new ExpressionError(`format: '${template}' has a '}' that opens nothing; write '}}' for a brace.`);
    } else {
      result += char;
      index++;
    }
  }
  return result;
}
