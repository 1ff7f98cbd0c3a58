import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

/**
 * Configuration folders written per test, so that each test shows the YAML it reads (and its
 * line numbers) next to its assertions.
 */
export class ConfigurationFolder {
  readonly directory: string;

  constructor() {
    this.directory = fs.mkdtempSync(path.join(os.tmpdir(), "configuration-test-"));
  }

  /** Writes `lines` joined by newlines; returns the file's path. */
  write(name: string, ...lines: string[]): string {
    const file = path.join(this.directory, name);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, lines.join("\n") + "\n", "utf8");
    return file;
  }

  path(name: string): string {
    return path.join(this.directory, name);
  }

  remove(): void {
    fs.rmSync(this.directory, { recursive: true, force: true });
  }
}

function base64url(text: string): string {
  return Buffer.from(text, "utf8").toString("base64url");
}

/*
 * Fake secrets, assembled at run time so that no secret-shaped literal sits in the repository
 * (where secret scanners such as GitHub push protection would rightly stop it). Each holds a
 * distinctive fragment that tests look for in error messages.
 */
export const fakeSecrets = {
  storageAccountKey: "Fk3Q".repeat(21) + "Zz==",
  sasToken: "sv=2022-11-02&ss=b&srt=sco&sp=rl&se=2030-01-01T00:00:00Z&sig=" + "FkSig" + "Q2x1ZXNz%3D",
  jwt: [base64url(JSON.stringify({ alg: "HS256", typ: "JWT" })), base64url(JSON.stringify({ sub: "FkUser" })), "FkJwtSignature"].join("."),
  connectionString: "DefaultEndpointsProtocol=https;AccountName=sa;AccountKey=" + "FkConnKey" + "=;EndpointSuffix=core.windows.net",
  sqlConnectionString: "Server=tcp:db.example.net;Database=ml;User ID=ml;" + "Password=FkSqlPassw0rd;",
  pemHeader: "-----BEGIN " + "RSA PRIVATE KEY-----",
  pemBody: "FkPemBodyMIIEow",
  pemFooter: "-----END " + "RSA PRIVATE KEY-----",
  urlWithPassword: "https://ml-user:" + "FkUrlPass" + "@feed.example.com/simple",
  password: "FkHunter2Password",
};
