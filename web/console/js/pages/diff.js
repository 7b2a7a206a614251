// A word-level diff of two texts: pure functions, no DOM, so the browser
// test can run them on their own (tests/browser/console_versions_test.py).
//
// A text is cut into tokens, each a run of white space or a run of
// anything else (a word with its punctuation); the diff is a longest
// common subsequence of the two token lists. Code points are never split:
// the regular expression works on whole characters (flag u), so accented
// letters and emoji stay whole.

// 'Via Roma,  chiusa' -> ['Via', ' ', 'Roma,', '  ', 'chiusa']
export function tokens(text) {
  return String(text ?? '').match(/\s+|\S+/gu) || [];
}

// Appends a piece to ops, joined to the last one if it is of the same kind.
function push(ops, op, text) {
  const last = ops[ops.length - 1];
  if (last && last.op === op) last.text += text;
  else ops.push({ op, text });
}

// The LCS lengths of a[i..] and b[j..], row-major in one typed array.
function lcsTable(a, b) {
  const w = b.length + 1;
  const t = new Uint32Array((a.length + 1) * w);
  for (let i = a.length - 1; i >= 0; i--)
    for (let j = b.length - 1; j >= 0; j--)
      t[i * w + j] = a[i] === b[j] ? t[(i + 1) * w + j + 1] + 1
        : Math.max(t[(i + 1) * w + j], t[i * w + j + 1]);
  return t;
}

// The edit from text a to text b: [{op: 'same'|'del'|'ins', text}], in
// order; joining the 'same' and 'del' texts gives a, 'same' and 'ins' b.
// Removals come before insertions where both replace the same words.
export function diffWords(a, b) {
  const x = tokens(a), y = tokens(b), ops = [];
  let head = 0, tail = 0;
  while (head < x.length && head < y.length && x[head] === y[head]) head++;
  while (tail < x.length - head && tail < y.length - head
    && x[x.length - 1 - tail] === y[y.length - 1 - tail]) tail++;
  if (head) push(ops, 'same', x.slice(0, head).join(''));
  const xs = x.slice(head, x.length - tail), ys = y.slice(head, y.length - tail);
  const t = lcsTable(xs, ys), w = ys.length + 1;
  let i = 0, j = 0;
  while (i < xs.length || j < ys.length) {
    if (i < xs.length && j < ys.length && xs[i] === ys[j]) {
      push(ops, 'same', xs[i]); i++; j++;
    } else if (j >= ys.length || (i < xs.length && t[(i + 1) * w + j] >= t[i * w + j + 1])) {
      push(ops, 'del', xs[i]); i++;
    } else {
      push(ops, 'ins', ys[j]); j++;
    }
  }
  if (tail) push(ops, 'same', x.slice(x.length - tail).join(''));
  return tidy(ops);
}

// Joins changes separated only by white space into one removal and one
// insertion ("Roma chiusa" -> "Garibaldi aperta", not word by word).
function tidy(ops) {
  const out = [];
  for (let k = 0; k < ops.length;) {
    if (ops[k].op === 'same') { push(out, 'same', ops[k].text); k++; continue; }
    let del = '', ins = '', end = k;
    for (let m = k; m < ops.length; m++) {
      const o = ops[m];
      if (o.op === 'same' && !(/^\s+$/u.test(o.text) && m + 1 < ops.length)) break;
      if (o.op !== 'ins') del += o.text;
      if (o.op !== 'del') ins += o.text;
      end = m + 1;
    }
    if (del) push(out, 'del', del);
    if (ins) push(out, 'ins', ins);
    k = end;
  }
  return out;
}

// True if the diff changes nothing.
export function unchanged(ops) {
  return ops.every((o) => o.op === 'same');
}
