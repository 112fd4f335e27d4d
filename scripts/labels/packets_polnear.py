#!/usr/bin/env python3
"""Sample the PolNeAR train articles for source-type labelling (300, stratified by publisher,
3 to 40 gold sources each) and write the four labelling packets, in the current folder.
Run from the folder that will hold the packets (e.g. labelwork/)."""
import os,glob,collections,random,json,subprocess,re
random.seed(20261205)
S=os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..', '..', 'shared')
# ---- A: PolNeAR train source types
docs=collections.defaultdict(list)
for f in sorted(glob.glob(S+'/polnear/train/attributions/*.ann')):
    docs[os.path.basename(f).rsplit('_',1)[0]].append(f)
pub=lambda d:d.split('_')[0]
def parse(ann):
    T={};E=[]
    for l in open(ann,encoding='utf-8'):
        p=l.rstrip('\n').split('\t')
        if len(p)<2: continue
        if p[0].startswith('T'):
            lab,off=p[1].split(' ',1)
            spans=[tuple(map(int,x.split())) for x in off.split(';')]
            T[p[0]]=(lab,spans,p[2] if len(p)>2 else '')
        elif p[0].startswith('E'):
            E.append(dict(x.split(':') for x in p[1].split()))
    return T,E
info={}
for d,fs in docs.items():
    T,E=parse(fs[0]); info[d]=(T,E)
bypub=collections.defaultdict(list)
for d in sorted(docs):
    n=sum(1 for t in info[d][0].values() if t[0]=='Source')
    if 3<=n<=40: bypub[pub(d)].append(d)
chosen=[]
pubs=sorted(bypub)
per=300//len(pubs)+1
for p in pubs:
    chosen+=random.sample(bypub[p],min(per,len(bypub[p])))
chosen=sorted(random.sample(chosen,300))
random.shuffle(chosen)
os.makedirs('A',exist_ok=True)
total=0
batches=[chosen[i::4] for i in range(4)]
for bi,b in enumerate(batches):
    od=f'A/batch{bi+1}'; os.makedirs(od+'/articles',exist_ok=True)
    rows=[]
    for d in sorted(b):
        T,E=info[d]
        text=open(f'{S}/polnear/train/text/{d}.txt',encoding='utf-8').read()
        cue_of={}
        for e in E:
            if 'Source' in e and 'Cue' in e:
                cue_of.setdefault(e['Source'],[]).append(T[e['Cue']][2])
        srcs=sorted([(t[1][0][0],t[1][-1][1],k) for k,t in T.items() if t[0]=='Source'])
        with open(f'{od}/articles/{d}.txt','w',encoding='utf-8') as f:
            f.write(text)
        for s,e,k in srcs:
            stext=' … '.join(text[a:b] for a,b in T[k][1]).replace('\n',' ').replace('\t',' ')
            cues=' | '.join(c.replace('\n',' ').replace('\t',' ') for c in cue_of.get(k,[]))
            ctx=text[max(0,s-120):min(len(text),e+160)].replace('\n',' ').replace('\t',' ')
            rows.append([d,str(s),str(e),stext,cues,ctx])
    total+=len(rows)
    with open(f'{od}/to_label.tsv','w',encoding='utf-8') as f:
        f.write('doc\tsource_start\tsource_end\tsource_text\tcue\tcontext\n')
        for r in rows: f.write('\t'.join(r)+'\n')
    print(od,len(b),len(rows))
print('A total',total)
json.dump(chosen,open('A/chosen.json','w'))
