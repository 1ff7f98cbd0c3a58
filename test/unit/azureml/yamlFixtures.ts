import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

// The tests run compiled, from out/test/unit/<area>/: the project root is four levels up.
export const projectRoot = path.join(__dirname, "..", "..", "..", "..");

/** Real files from Azure/azureml-examples (see fixtures/SOURCES.md). */
export function exampleFile(relative: string): string {
  return path.join(projectRoot, "test", "unit", "azureml", "fixtures", "azureml-examples", relative);
}

/** A scratch folder for YAML files and the folders they name; removed by `remove()`. */
export class YamlFolder {
  readonly root = fs.mkdtempSync(path.join(os.tmpdir(), "azureml-yaml-"));

  write(relative: string, text: string): string {
    const file = path.join(this.root, relative);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, text);
    return file;
  }

  folder(relative: string): string {
    const folder = path.join(this.root, relative);
    fs.mkdirSync(folder, { recursive: true });
    return folder;
  }

  remove(): void {
    fs.rmSync(this.root, { recursive: true, force: true });
  }
}
