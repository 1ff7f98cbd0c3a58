/** Regions this local cloud offers, by ARM's normalized names. */
export const availableLocations: readonly string[] = [
  "eastus",
  "eastus2",
  "westus",
  "westus2",
  "westus3",
  "centralus",
  "northcentralus",
  "southcentralus",
  "westcentralus",
  "canadacentral",
  "brazilsouth",
  "northeurope",
  "westeurope",
  "uksouth",
  "ukwest",
  "francecentral",
  "germanywestcentral",
  "switzerlandnorth",
  "norwayeast",
  "swedencentral",
  "australiaeast",
  "southeastasia",
  "eastasia",
  "japaneast",
  "koreacentral",
  "centralindia",
  "southafricanorth",
  "uaenorth",
];

/** ARM accepts "West Europe" as well as "westeurope" and answers with the latter. */
export function normalizeLocation(location: string): string {
  return location.replace(/\s+/g, "").toLowerCase();
}

export function isAvailableLocation(location: string): boolean {
  return availableLocations.includes(normalizeLocation(location));
}
