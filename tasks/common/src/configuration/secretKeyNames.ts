import { foldLookAlikes } from "./lookAlikes";

/*
 * Which keys name a secret. The rule, in the order it is applied:
 *
 * 1. A key is folded (look-alike letters such as Cyrillic `а` or full-width `ａ` become Latin,
 *    accents and invisible characters go, see lookAlikes.ts), then split into lower-case words
 *    at `_`, `-`, `.`, spaces, camelCase and digits (`storageAccountKey`, `STORAGE_ACCOUNT_KEY`
 *    → storage, account, key). Whole words only, so `tokenizer`, `keyword`, `monkey`,
 *    `secretary` and `passwordless` name nothing.
 * 2. If the last word (the head of an English compound) is a descriptor — a name, id, path, url,
 *    length, expiry, type, mode, column, metric… — the key is *about* a secret, not holding one:
 *    `secret_name`, `password_length`, `token_expiry`, `private_key_path`, `model_key_metric`.
 *    `secret_name: my-kv-secret` is the very pattern users should follow, so it must pass.
 *    One exception: `sas_url`/`sas_uri`, since a SAS URL carries the token in its query.
 * 3. Otherwise any word naming a credential flags the key:
 *    - unambiguous nouns: password(s), passwd, pwd, passphrase, secret(s), credential(s), creds,
 *      sas, pat — and glued compounds ending in one (`dbpassword`, `clientsecret`,
 *      `storageaccountkey`, `connectionstring`…);
 *    - `key`/`keys` only alone or after a credential qualifier (api, access, account, storage,
 *      primary, private, shared, sas, subscription, encryption, ssh…), because data configs are
 *      full of harmless keys: `sort_key`, `partition_key`, `key_column`, `key_vault_name`;
 *    - `token`/`tokens` after a credential qualifier anywhere (`access_token_value`), or as the
 *      head unless counted or named by NLP vocabulary (`max_tokens`, `pad_token`, `eos_token_id`
 *      are model settings; `hf_token`, `github_token` are credentials);
 *    - `string(s)` after `connection`/`conn`.
 * 4. Last, words are read glued back together, since a separator or a capital letter can fall
 *    inside a word (`Pass_Word`, `DB_PassWord`, `P_W_D`, `Connection_Str_ing`): consecutive
 *    words that spell a credential noun, or that end in a glued compound above, flag the key.
 *
 * Known trade-off: `primary_key` is flagged (Azure's listKeys returns primaryKey), so a database
 * primary-key column must be named e.g. `primary_key_column` or `id_column`.
 */

const secretNouns = new Set(["password", "passwords", "passwd", "pwd", "passphrase", "secret", "secrets", "credential", "credentials", "creds", "sas", "pat"]);

const gluedSecretEndings = [
  "password",
  "passwd",
  "passphrase",
  "secret",
  "credential",
  "credentials",
  "apikey",
  "accesskey",
  "accountkey",
  "storagekey",
  "primarykey",
  "secondarykey",
  "privatekey",
  "sharedkey",
  "sharedaccesskey",
  "masterkey",
  "sastoken",
  "accesstoken",
  "authtoken",
  "refreshtoken",
  "bearertoken",
  "connectionstring",
  "connstring",
  "connstr",
];

const keyNouns = new Set(["key", "keys"]);
const credentialKeyQualifiers = new Set([
  "api",
  "access",
  "account",
  "storage",
  "primary",
  "secondary",
  "sas",
  "private",
  "shared",
  "secret",
  "subscription",
  "master",
  "admin",
  "auth",
  "encryption",
  "signing",
  "client",
  "service",
  "endpoint",
  "function",
  "host",
  "ssh",
  "rsa",
  "gpg",
  "pgp",
  "query",
  "management",
  "app",
  "deploy",
  "connection",
]);

const tokenNouns = new Set(["token", "tokens"]);
const credentialTokenQualifiers = new Set([
  "access",
  "auth",
  "refresh",
  "bearer",
  "api",
  "sas",
  "id",
  "session",
  "personal",
  "oauth",
  "jwt",
  "security",
  "sts",
  "github",
  "gh",
  "hf",
  "huggingface",
  "devops",
  "ado",
  "pat",
]);
const nlpTokenQualifiers = new Set([
  "max",
  "min",
  "num",
  "number",
  "n",
  "total",
  "new",
  "pad",
  "padding",
  "bos",
  "eos",
  "unk",
  "sep",
  "cls",
  "mask",
  "special",
  "start",
  "end",
  "stop",
  "context",
  "input",
  "output",
  "prompt",
  "completion",
  "vocab",
]);

const stringNouns = new Set(["string", "strings", "str"]);
const connectionWords = new Set(["connection", "conn"]);

const descriptorHeads = new Set([
  // where the secret lives, not the secret
  "name",
  "names",
  "id",
  "ids",
  "ref",
  "reference",
  "uri",
  "url",
  "path",
  "file",
  "variable",
  "var",
  "env",
  // what the secret is like
  "length",
  "len",
  "expiry",
  "expires",
  "expiration",
  "ttl",
  "lifetime",
  "type",
  "kind",
  "mode",
  "enabled",
  "required",
  "count",
  "version",
  "format",
  "header",
  "prefix",
  // data-schema vocabulary of ML configurations
  "column",
  "columns",
  "field",
  "fields",
  "metric",
  "metrics",
]);

/** Words of a key, lower case: `storageAccountKey2` → storage, account, key. */
export function keyWords(key: string): string[] {
  return foldLookAlikes(key)
    .replace(/(?<=[\p{Ll}\p{N}])(?=\p{Lu})|(?<=\p{Lu})(?=\p{Lu}\p{Ll})/gu, " ")
    .replace(/(?<=\p{L})(?=\p{N})|(?<=\p{N})(?=\p{L})/gu, " ")
    .split(/[^\p{L}\p{N}]+/u)
    .map((word) => word.toLowerCase())
    .filter((word) => word !== "" && !/^\p{N}+$/u.test(word));
}

function credentialTermAt(words: string[], index: number): string | undefined {
  const word = words[index];
  const previous = index > 0 ? words[index - 1] : undefined;
  const isHead = index === words.length - 1;
  if (secretNouns.has(word) || gluedSecretEndings.some((ending) => word.endsWith(ending))) return word;
  if (keyNouns.has(word)) {
    if (words.length === 1) return word;
    if (previous !== undefined && credentialKeyQualifiers.has(previous)) return `${previous} ${word}`;
  }
  if (tokenNouns.has(word)) {
    if (previous !== undefined && credentialTokenQualifiers.has(previous)) return `${previous} ${word}`;
    if (isHead && !(previous !== undefined && nlpTokenQualifiers.has(previous))) return word;
  }
  if (stringNouns.has(word) && previous !== undefined && connectionWords.has(previous)) return `${previous} ${word}`;
  return undefined;
}

const longestNoun = Math.max(...[...secretNouns].map((noun) => noun.length));
/** [as written, the ending it is a form of]: each ending and its plural. */
const gluedEndingForms = gluedSecretEndings.flatMap((ending): [string, string][] => [
  [ending, ending],
  [`${ending}s`, ending],
]);
const longestEnding = Math.max(...gluedEndingForms.map(([form]) => form.length));

function gluedEndingOf(text: string): string | undefined {
  return gluedEndingForms.find(([form]) => text.endsWith(form))?.[1];
}

/** A credential that only shows once words are glued back together (`Pass_Word` → password). */
function gluedTermAt(words: string[], index: number, tail: string): string | undefined {
  let spelled = words[index];
  for (let start = index - 1; start >= 0 && spelled.length < longestNoun; start--) {
    spelled = words[start] + spelled;
    if (secretNouns.has(spelled)) return spelled;
  }
  // `tail` is the end of all the words up to this one, glued.
  return gluedEndingOf(tail);
}

/** The words that make `key` name a secret (`"account key"`), or undefined when it names none. */
export function secretTermInKey(key: string): string | undefined {
  const words = keyWords(key);
  const head = words[words.length - 1];
  if (head === undefined) return undefined;
  if (descriptorHeads.has(head)) {
    const isSasUrl = (head === "url" || head === "uri") && words.includes("sas");
    return isSasUrl ? "sas" : undefined;
  }
  for (let index = 0; index < words.length; index++) {
    const term = credentialTermAt(words, index);
    if (term !== undefined) return term;
  }
  let tail = "";
  for (let index = 0; index < words.length; index++) {
    tail = (tail + words[index]).slice(-longestEnding);
    const term = gluedTermAt(words, index, tail);
    if (term !== undefined) return term;
  }
  return undefined;
}
