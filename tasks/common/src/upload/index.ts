// Content-addressed upload of a local code folder, model file or folder to a workspace datastore,
// laid out as azure-ai-ml lays it out (LocalUpload/<hash>/<name>/…).
export { loadIgnoreRules, ignoreFileNames } from "./ignoreRules";
export type { IgnoreRules } from "./ignoreRules";
export { snapshotPath } from "./folderSnapshot";
export type { FolderSnapshot, SnapshotFile } from "./folderSnapshot";
export { containerUploadTarget } from "./uploadTarget";
export type { UploadTarget } from "./uploadTarget";
export { describeUpload, formatBytes, legacyUploadOrigin, uploadLayout, uploadOrigin, uploadSnapshot } from "./datastoreUpload";
export type { UploadLayout, UploadOptions, UploadProgress, UploadResult } from "./datastoreUpload";
