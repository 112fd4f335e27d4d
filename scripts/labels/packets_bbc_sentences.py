#!/usr/bin/env python3
"""Sample 80 BBC articles (16 per category, never reserved-bbc.txt) for attribution marking,
3,100 sentences (PolNeAR train and BBC) for uncertainty labels, and the blind second-labelling
subsets (a tenth of each). Needs train.jsonl and bbc.jsonl from `onrecord extract` (sentence
spans only) in the current folder."""
import os,json,random,collections
random.seed(7)
S=os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..', '..', 'shared')
reserved=set(l.strip() for l in open(S+'/labels/reserved-bbc.txt') if l.strip() and not l.startswith('#'))
cats=['business','entertainment','politics','sport','tech']
def readbbc(rel):
    try: return open(f'{S}/corpora/bbc/{rel}',encoding='utf-8').read()
    except UnicodeDecodeError: return None
pool={c:sorted(f for f in os.listdir(f'{S}/corpora/bbc/{c}') if f.endswith('.txt') and f'{c}/{f}' not in reserved) for c in cats}
B=[]
for c in cats: B+= [f'{c}/{f}' for f in random.sample(pool[c],16)]
B=[b for b in B if readbbc(b) is not None]
random.shuffle(B)
print('B',len(B))
json.dump(B,open('B_chosen.json','w'))
for bi in range(2):
    od=f'B/batch{bi+1}'; os.makedirs(od,exist_ok=True)
    for rel in sorted(B[bi::2]):
        text=readbbc(rel)
        lines=text.split('\n')
        with open(f"{od}/{rel.replace('/','-')}",'w',encoding='utf-8') as f:
            for i,l in enumerate(lines):
                if l.strip(): f.write(f'[{i}] {l}\n')
# ---- C: sentences
def sents(jsonl,getpath,docfilter):
    out=[]
    for line in open(jsonl,encoding='utf-8'):
        o=json.loads(line)
        p=getpath(o)
        if not docfilter(p): continue
        text=open(p,encoding='utf-8').read()
        for s in o['sentences']:
            a,b=s['span']; t=text[a:b]
            if len(t.split())<4: continue
            out.append((p,a,b,t.replace('\n',' ').replace('\t',' ')))
    return out
pn=sents('train.jsonl',lambda o:f"{S}/polnear/train/text/{o['doc']}.txt",lambda p:True)
bb=sents('bbc.jsonl',lambda o:f"{S}/corpora/bbc/{o['corpus']}/{o['doc']}.txt",lambda p:p.split('/bbc/')[1] not in reserved and readbbc(p.split('/bbc/')[1]) is not None)
print(len(pn),len(bb))
cs=random.sample(pn,1550)+random.sample(bb,1550)
random.shuffle(cs)
rows=[]
for i,(p,a,b,t) in enumerate(cs):
    if '/polnear/' in p: doc=os.path.basename(p)[:-4]; src='polnear-train'
    else: doc=p.split('/bbc/')[1][:-4]; src='bbc'
    rows.append([f'S{i:04d}',src,doc,str(a),str(b),t])
os.makedirs('C',exist_ok=True)
for bi in range(2):
    with open(f'C/batch{bi+1}.tsv','w',encoding='utf-8') as f:
        f.write('id\tsource\tdoc\tstart\tend\tsentence\n')
        for r in rows[bi::2]: f.write('\t'.join(r)+'\n')
# ---- double-label tenth (blind): A 30 articles, B 8 articles, C 310 sentences
chosen=json.load(open('A/chosen.json'))
import glob
os.makedirs('D/A_articles',exist_ok=True)
dA=[]
for bi in range(4):
    arts=sorted(os.listdir(f'A/batch{bi+1}/articles'))
    dA+= [a[:-4] for a in random.sample(arts,8 if bi<2 else 7)]
dA=set(dA)
hdr=None;out=[]
for bi in range(4):
    ls=open(f'A/batch{bi+1}/to_label.tsv',encoding='utf-8').read().splitlines()
    hdr=ls[0]
    for l in ls[1:]:
        if l.split('\t')[0] in dA: out.append(l)
    for a in dA:
        p=f'A/batch{bi+1}/articles/{a}.txt'
        if os.path.exists(p): os.system(f'cp {p} D/A_articles/')
open('D/A_to_label.tsv','w',encoding='utf-8').write(hdr+'\n'+'\n'.join(out)+'\n')
print('D A',len(dA),len(out))
os.makedirs('D/B',exist_ok=True)
dB=random.sample(B[0::2],4)+random.sample(B[1::2],4)
for rel in dB:
    bi=1 if rel in B[0::2] else 2
    os.system(f"cp B/batch{bi}/{rel.replace('/','-')} D/B/")
dC=random.sample(rows[0::2],155)+random.sample(rows[1::2],155)
with open('D/C.tsv','w',encoding='utf-8') as f:
    f.write('id\tsource\tdoc\tstart\tend\tsentence\n')
    for r in dC: f.write('\t'.join(r)+'\n')
print('done')
