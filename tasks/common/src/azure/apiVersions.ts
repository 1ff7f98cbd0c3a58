/**
 * The api-versions the tasks send, pinned so that what they send is what the official swagger
 * in reference/ (the copies this repository carries) describes (and what the local Azure validates against).
 */
export const apiVersions = {
  resources: "2024-03-01",
  storage: "2023-05-01",
  keyVault: "2023-07-01",
  containerRegistry: "2023-07-01",
  logAnalytics: "2022-10-01",
  applicationInsights: "2020-02-02",
  machineLearning: "2022-10-01",
} as const;
