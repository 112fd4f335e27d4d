"""Merge the labellers' files (/work/labelwork) into the repository's data/labels/."""
import csv, os, glob, re, sys, collections
HERE = os.path.dirname(os.path.abspath(__file__)); S = os.path.join(HERE, '..', '..', '..', 'shared'); L = os.environ.get('LABELWORK', 'labelwork'); OUT = os.path.join(HERE, '..', '..', 'data', 'labels')
def rd(p):
    with open(p, encoding='utf-8', newline='') as f:
        return list(csv.DictReader(f, delimiter='\t', quoting=csv.QUOTE_NONE))
def ann_cues(doc):
    fs = sorted(glob.glob(f'{S}/polnear/train/attributions/{doc}_*.ann'))
    T = {}; E = []
    for l in open(fs[0], encoding='utf-8'):
        p = l.rstrip('\n').split('\t')
        if len(p) < 2: continue
        if p[0].startswith('T'):
            lab, off = p[1].split(' ', 1)
            T[p[0]] = (lab, [tuple(map(int, x.split())) for x in off.split(';')])
        elif p[0].startswith('E'):
            E.append(dict(x.split(':') for x in p[1].split()))
    out = {}
    for e in E:
        if 'Source' in e and 'Cue' in e:
            s = T[e['Source']][1]; c = T[e['Cue']][1]
            key = (s[0][0], s[-1][1])
            out.setdefault(key, (c[0][0], c[-1][1]))
    return out
COLS = ['set','doc','path','source_start','source_end','cue_start','cue_end','source_text','cue_text','source_type','anon_reason','anon_knowledge','anon_count','confirms','labeller','note']
def clean(x): return (x or '').replace('\t', ' ').replace('\n', ' ').strip()
def polnear_rows(files, labeller):
    rows = []; cache = {}
    for fn in files:
        if not os.path.exists(fn): continue
        for r in rd(fn):
            d = r['doc']
            if d not in cache: cache[d] = (ann_cues(d), open(f'{S}/polnear/train/text/{d}.txt', encoding='utf-8').read())
            cues, text = cache[d]
            s, e = int(r['source_start']), int(r['source_end'])
            c = cues.get((s, e))
            rows.append(dict(set='polnear-train', doc=d, path=f'polnear/train/text/{d}.txt', source_start=s, source_end=e,
                cue_start=c[0] if c else '', cue_end=c[1] if c else '', source_text=clean(r['source_text']),
                cue_text=clean(text[c[0]:c[1]]) if c else '', source_type=clean(r['source_type']),
                anon_reason=clean(r.get('anon_reason')), anon_knowledge=clean(r.get('anon_knowledge')),
                anon_count=clean(r.get('anon_count')), confirms=clean(r.get('confirms')) or '0', labeller=labeller(fn), note=clean(r.get('note'))))
    return rows
def bbc_rows(files, labeller):
    rows = []; bad = 0
    for fn in files:
        if not os.path.exists(fn): continue
        occ = collections.Counter()
        for r in rd(fn):
            f = r['file']; cat, num = f[:-4].split('-')
            rel = f'{cat}/{num}.txt'
            text = open(f'{S}/corpora/bbc/{rel}', encoding='utf-8').read()
            lines = text.split('\n'); para = int(r['para'])
            base = sum(len(x) + 1 for x in lines[:para]); line = lines[para]
            cue = r['cue_text']; src = r['source_text']
            k = occ[(f, para, cue)]; occ[(f, para, cue)] += 1
            idx = [m.start() for m in re.finditer(re.escape(cue), line)] if cue else []
            if not idx: bad += 1; continue
            ci = idx[min(k, len(idx) - 1)]
            ss = se = ''
            if src:
                sidx = [m.start() for m in re.finditer(re.escape(src), line)]
                if not sidx: bad += 1; continue
                si = min(sidx, key=lambda x: abs(x - ci))
                ss, se = base + si, base + si + len(src)
            rows.append(dict(set='bbc', doc=f'{cat}-{num}', path=f'corpora/bbc/{rel}', source_start=ss, source_end=se,
                cue_start=base + ci, cue_end=base + ci + len(cue), source_text=clean(src), cue_text=clean(cue),
                source_type=clean(r['source_type']) or 'none', anon_reason=clean(r.get('anon_reason')),
                anon_knowledge=clean(r.get('anon_knowledge')), anon_count=clean(r.get('anon_count')),
                confirms=clean(r.get('confirms')) or '0', labeller=labeller(fn), note=clean(r.get('note'))))
    if bad: print('bbc rows not located:', bad, file=sys.stderr)
    return rows
def write(path, rows, cols):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, 'w', encoding='utf-8') as f:
        f.write('\t'.join(cols) + '\n')
        for r in rows: f.write('\t'.join(str(r[c]) for c in cols) + '\n')
    print(path, len(rows))
lab = lambda fn: 'L' + re.search(r'batch(\d)', fn).group(1) if 'batch' in fn else 'L2nd'
A = polnear_rows([f'{L}/A/batch{i}/labels.tsv' for i in range(1, 5)], lambda fn: {'1':'A1','2':'A2','3':'A3','4':'A4'}[re.search(r'batch(\d)', fn).group(1)])
B = bbc_rows([f'{L}/B/batch{i}/labels.tsv' for i in (1, 2)], lambda fn: {'1':'B1','2':'B2'}[re.search(r'batch(\d)', fn).group(1)])
write(f'{OUT}/source-types.tsv', A + [r for r in B if r['source_type'] != 'none'], COLS)
write(f'{OUT}/bbc-attributions.tsv', B, COLS)
A2 = polnear_rows([f'{L}/D/A/labels.tsv'], lambda fn: 'D')
write(f'{OUT}/second/source-types.tsv', A2, COLS)
B2 = bbc_rows([f'{L}/D/BC/B_labels.tsv'], lambda fn: 'D')
write(f'{OUT}/second/bbc-attributions.tsv', B2, COLS)
# sentences
UC = ['id','set','doc','path','start','end','sentence','uncertain','cues','labeller']
def sent_rows(batch, labels, who):
    if not os.path.exists(labels): return []
    src = {r['id']: r for r in rd(batch)}
    out = []
    for r in rd(labels):
        s = src[r['id']]
        path = f"polnear/train/text/{s['doc']}.txt" if s['source'] == 'polnear-train' else f"corpora/bbc/{s['doc']}.txt"
        out.append(dict(id=r['id'], set=s['source'], doc=s['doc'].replace('/', '-'), path=path, start=s['start'], end=s['end'],
                        sentence=clean(s['sentence']), uncertain=clean(r['uncertain']), cues=clean(r['cues']), labeller=who))
    return out
U = sent_rows(f'{L}/C/batch1.tsv', f'{L}/C/batch1_labels.tsv', 'C1') + sent_rows(f'{L}/C/batch2.tsv', f'{L}/C/batch2_labels.tsv', 'C2')
U.sort(key=lambda r: r['id'])
write(f'{OUT}/uncertain.tsv', U, UC)
U2 = sent_rows(f'{L}/D/BC/sentences.tsv', f'{L}/D/BC/sentences_labels.tsv', 'D')
write(f'{OUT}/second/uncertain.tsv', U2, UC)
