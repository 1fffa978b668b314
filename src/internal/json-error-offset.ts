/**
 * The offset of the first JSON syntax error in `text`, or -1 when it is valid. Node 20's JSON.parse
 * often reports no position, and a config error should say the line.
 * @example
 * jsonErrorOffset('{"a": }'); // 6
 */
export function jsonErrorOffset(text: string): number {
  let pos = 0;
  const fail = (): never => {
    throw pos;
  };
  const space = () => {
    while (pos < text.length && ' \t\n\r'.includes(text[pos])) pos++;
  };
  const literal = (word: string) => (text.startsWith(word, pos) ? (pos += word.length) : fail());
  const string = () => {
    pos++;
    while (pos < text.length && text[pos] !== '"') {
      if (text.charCodeAt(pos) < 0x20) fail();
      pos += text[pos] === '\\' ? 2 : 1;
    }
    if (pos >= text.length) fail();
    pos++;
  };
  const number = () => {
    const match = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(pos, pos + 400));
    if (!match || match[0] === '' || match[0] === '-') fail();
    pos += (match as RegExpExecArray)[0].length;
  };
  const value = (): void => {
    space();
    const c = text[pos];
    if (c === '{') {
      pos++;
      space();
      if (text[pos] === '}') return void pos++;
      for (;;) {
        space();
        if (text[pos] !== '"') fail();
        string();
        space();
        if (text[pos] !== ':') fail();
        pos++;
        value();
        space();
        if (text[pos] === ',') pos++;
        else if (text[pos] === '}') return void pos++;
        else fail();
      }
    }
    if (c === '[') {
      pos++;
      space();
      if (text[pos] === ']') return void pos++;
      for (;;) {
        value();
        space();
        if (text[pos] === ',') pos++;
        else if (text[pos] === ']') return void pos++;
        else fail();
      }
    }
    if (c === '"') return void string();
    if (c === 't') return void literal('true');
    if (c === 'f') return void literal('false');
    if (c === 'n') return void literal('null');
    number();
  };
  try {
    value();
    space();
    return pos < text.length ? pos : -1;
  } catch (offset) {
    if (typeof offset === 'number') return Math.min(offset, text.length);
    throw offset;
  }
}
