/** Turns offsets into 1-based line numbers, counting line breaks the way YAML does (LF, CRLF, CR). */
export class LineIndex {
  private readonly lineStarts: number[] = [0];

  constructor(source: string) {
    for (let index = 0; index < source.length; index++) {
      const char = source.charCodeAt(index);
      const isLineFeed = char === 10;
      const isLoneCarriageReturn = char === 13 && source.charCodeAt(index + 1) !== 10;
      if (isLineFeed || isLoneCarriageReturn) this.lineStarts.push(index + 1);
    }
  }

  lineOf(offset: number): number {
    let low = 0;
    let high = this.lineStarts.length - 1;
    while (low < high) {
      const middle = Math.ceil((low + high) / 2);
      if (this.lineStarts[middle] <= offset) low = middle;
      else high = middle - 1;
    }
    return low + 1;
  }
}
