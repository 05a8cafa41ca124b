#!/usr/bin/env python3
"""Independent re-creation of CodeXGLUE's code-to-text evaluator (evaluator/smooth_bleu.py), used
only to cross-check `scale eval --score` (src/eval/bleu.cc). Written from the published algorithm:
MOSES/NIST normalisation, n-gram counts up to 4, +1 smoothing for n >= 2, brevity penalty
exp(min(0, 1 - (r+1)/(c+1))) against the shortest reference, sentence scores averaged x 100.

  bench/smooth_bleu_ref.py GOLD.txt < PRED.txt        # "idx<TAB>text" lines, like the original
  bench/smooth_bleu_ref.py --jsonl PRED.jsonl         # {"prediction":..., "reference":...} rows
"""
import json
import math
import re
import sys
import xml.sax.saxutils

_NORM1 = [(re.compile(p), r) for p, r in [('<skipped>', ''), (r'-\n', ''), (r'\n', ' ')]]
_NORM2 = [(re.compile(p), r) for p, r in [
    (r'([\{-\~\[-\` -\&\(-\+\:-\@\/])', r' \1 '),
    (r'([^0-9])([\.,])', r'\1 \2 '),
    (r'([\.,])([^0-9])', r' \1 \2'),
    (r'([0-9])(-)', r'\1 \2 '),
]]


def normalize(s):
    for p, r in _NORM1:
        s = re.sub(p, r, s)
    s = xml.sax.saxutils.unescape(s, {'&quot;': '"'})
    s = (' %s ' % s).lower()
    for p, r in _NORM2:
        s = re.sub(p, r, s)
    return s.split()


def ngrams(words, n=4):
    counts = {}
    for k in range(1, n + 1):
        for i in range(len(words) - k + 1):
            g = tuple(words[i:i + k])
            counts[g] = counts.get(g, 0) + 1
    return counts


def sentence_bleu(refs, hyp, n=4):
    refs = [normalize(r) for r in refs]
    maxc = {}
    for r in refs:
        for g, c in ngrams(r, n).items():
            maxc[g] = max(maxc.get(g, 0), c)
    test = normalize(hyp)
    reflen = min(len(r) for r in refs)
    guess = [max(len(test) - k + 1, 0) for k in range(1, n + 1)]
    correct = [0] * n
    for g, c in ngrams(test, n).items():
        correct[len(g) - 1] += min(maxc.get(g, 0), c)
    tiny = sys.float_info.min
    logbleu = 0.0
    for k in range(n):
        add = 1 if k > 0 else 0
        logbleu += math.log(correct[k] + add + tiny) - math.log(guess[k] + add + tiny)
    logbleu /= n
    logbleu += min(0, 1 - float(reflen + 1) / (len(test) + 1))
    return math.exp(logbleu)


def split_puncts(line):
    return ' '.join(re.findall(r"[\w]+|[^\s\w]", line))


def main():
    scores = []
    if len(sys.argv) == 3 and sys.argv[1] == '--jsonl':
        for line in open(sys.argv[2], encoding='utf-8'):
            if not line.strip():
                continue
            row = json.loads(line)
            pred = split_puncts(row['prediction'].strip().lower())
            ref = split_puncts(row['reference'].strip().lower())
            scores.append(sentence_bleu([ref], pred))
    else:
        preds = {}
        for row in sys.stdin:
            cols = row.strip().split('\t')
            preds[cols[0]] = split_puncts((cols[1] if len(cols) > 1 else '').strip().lower())
        gold = {}
        for row in open(sys.argv[1], encoding='utf-8'):
            rid, text = row.split('\t')
            if rid in preds:
                gold.setdefault(rid, []).append(split_puncts(text.strip().lower()))
        for rid, refs in gold.items():
            scores.append(sentence_bleu(refs, preds[rid]))
    print('%.6f' % (100.0 * sum(scores) / len(scores) if scores else 0.0))


if __name__ == '__main__':
    main()
