/** VM sizes AmlCompute offers in this local cloud (compared case-insensitively, as the service does). */
export const amlComputeVmSizes: readonly string[] = [
  "STANDARD_D2_V2",
  "STANDARD_D3_V2",
  "STANDARD_D4_V2",
  "STANDARD_D11_V2",
  "STANDARD_D12_V2",
  "STANDARD_DS1_V2",
  "STANDARD_DS2_V2",
  "STANDARD_DS3_V2",
  "STANDARD_DS4_V2",
  "STANDARD_DS5_V2",
  "STANDARD_DS11_V2",
  "STANDARD_DS12_V2",
  "STANDARD_DS13_V2",
  "STANDARD_D2S_V3",
  "STANDARD_D4S_V3",
  "STANDARD_D8S_V3",
  "STANDARD_D16S_V3",
  "STANDARD_D2AS_V4",
  "STANDARD_D4AS_V4",
  "STANDARD_E4S_V3",
  "STANDARD_E8S_V3",
  "STANDARD_F4S_V2",
  "STANDARD_F8S_V2",
  "STANDARD_NC6",
  "STANDARD_NC6S_V3",
  "STANDARD_NC4AS_T4_V3",
  "STANDARD_NC8AS_T4_V3",
  "STANDARD_NC24ADS_A100_V4",
];

export function isAmlComputeVmSize(size: string): boolean {
  return amlComputeVmSizes.includes(size.toUpperCase());
}
