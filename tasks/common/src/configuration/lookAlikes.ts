/*
 * Letters that render like Latin ones, so that `pаssword` (Cyrillic а), `ｐａｓｓｗｏｒｄ`
 * (full width) or `pässwörd` reads as the key it imitates. Full-width and mathematical forms
 * are folded by NFKC; accents by dropping combining marks; the rest by this table, which
 * keeps case so that camelCase boundaries survive (`DbРassword` → `DbPassword`).
 */
const latinLookAlikes: Record<string, string> = {
  // Cyrillic
  а: "a",
  в: "b",
  г: "r",
  д: "d",
  е: "e",
  и: "u",
  к: "k",
  м: "m",
  н: "h",
  о: "o",
  п: "n",
  р: "p",
  с: "c",
  т: "t",
  у: "y",
  х: "x",
  ь: "b",
  ѕ: "s",
  і: "i",
  ј: "j",
  ԁ: "d",
  ԛ: "q",
  ԝ: "w",
  һ: "h",
  ӏ: "l",
  А: "A",
  В: "B",
  Е: "E",
  К: "K",
  М: "M",
  Н: "H",
  О: "O",
  Р: "P",
  С: "C",
  Т: "T",
  У: "Y",
  Х: "X",
  Ѕ: "S",
  І: "I",
  Ј: "J",
  Ԁ: "D",
  Ԛ: "Q",
  Ԝ: "W",
  Һ: "H",
  Ӏ: "I",
  // Greek
  α: "a",
  β: "b",
  γ: "y",
  ε: "e",
  η: "n",
  ι: "i",
  κ: "k",
  ν: "v",
  ο: "o",
  ρ: "p",
  τ: "t",
  υ: "u",
  χ: "x",
  ω: "w",
  ς: "s",
  Α: "A",
  Β: "B",
  Ε: "E",
  Ζ: "Z",
  Η: "H",
  Ι: "I",
  Κ: "K",
  Μ: "M",
  Ν: "N",
  Ο: "O",
  Ρ: "P",
  Τ: "T",
  Υ: "Y",
  Χ: "X",
  // Latin small capitals and other Latin look-alikes NFKC leaves alone
  ᴀ: "a",
  ʙ: "b",
  ᴄ: "c",
  ᴅ: "d",
  ᴇ: "e",
  ɢ: "g",
  ʜ: "h",
  ɪ: "i",
  ᴊ: "j",
  ᴋ: "k",
  ʟ: "l",
  ᴍ: "m",
  ɴ: "n",
  ᴏ: "o",
  ᴘ: "p",
  ʀ: "r",
  ꜱ: "s",
  ᴛ: "t",
  ᴜ: "u",
  ᴠ: "v",
  ᴡ: "w",
  ʏ: "y",
  ᴢ: "z",
  ı: "i",
  ȷ: "j",
  ɑ: "a",
  ɡ: "g",
  ɩ: "i",
  ʋ: "u",
  // Armenian
  օ: "o",
  ս: "u",
  ց: "g",
  հ: "h",
  ո: "n",
};

const lookAlikeLetters = new RegExp(`[${Object.keys(latinLookAlikes).join("")}]`, "gu");

/**
 * `text` with look-alike letters replaced by the Latin letters they imitate, accents and
 * invisible format characters (zero-width space, soft hyphen…) removed. Case is kept.
 */
export function foldLookAlikes(text: string): string {
  return text
    .normalize("NFKD")
    .replace(/[\p{Mn}\p{Cf}]/gu, "")
    .normalize("NFKC")
    .replace(lookAlikeLetters, (letter) => latinLookAlikes[letter]);
}
