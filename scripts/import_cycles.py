#!/usr/bin/env python3
"""Import circles among src/ modules: top-level modules, and sibling modules under each parent,
from `use crate::`/`super::` paths (comments and test modules left out). Prints the cycles found;
none is the goal (issue 14)."""
import re,os,sys,itertools
import pathlib
root=str(pathlib.Path(__file__).resolve().parent.parent / 'src')
def modname(path):
    rel=os.path.relpath(path,root)[:-3]
    parts=rel.split('/')
    if parts[-1]=='mod': parts=parts[:-1]
    return '::'.join(parts)
deps={}
for d,_,fs in os.walk(root):
    for f in fs:
        if not f.endswith('.rs'): continue
        p=os.path.join(d,f); m=modname(p)
        s=open(p).read()
        # drop test modules
        s=re.split(r'#\[cfg\(test\)\]\s*(?:pub(?:\([a-z]+\))?\s+)?mod [a-z_]+',s)[0]
        s=re.sub(r'//[^\n]*','',s)
        refs=set()
        for x in re.findall(r'crate::([a-z_]+(?:::[a-z_]+)*)',s):
            refs.add(x)
        parent=m.rsplit('::',1)[0] if '::' in m else ''
        for x in re.findall(r'super::([a-z_]+)',s):
            refs.add((parent+'::'+x) if parent else x)
        # use super::{a,b}
        for grp in re.findall(r'super::\{([^}]*)\}',s):
            for x in re.findall(r'\b([a-z_]+)\b',grp):
                refs.add((parent+'::'+x) if parent else x)
        deps[m]=refs
mods=set(deps)
def resolve(r):
    parts=r.split('::')
    for i in range(len(parts),0,-1):
        c='::'.join(parts[:i])
        if c in mods: return c
    return None
g={m:set() for m in mods}
for m,refs in deps.items():
    for r in refs:
        t=resolve(r)
        if t and t!=m and not m.startswith(t+'::') and not t.startswith(m+'::'): g[m].add(t)
# level: top-level and siblings
def cycles(level_of):
    G={}
    for m,ts in g.items():
        a=level_of(m)
        for t in ts:
            b=level_of(t)
            if a and b and a!=b: G.setdefault(a,set()).add(b)
    # find SCCs
    idx={};low={};st=[];on=set();res=[];c=[0]
    def sc(v):
        idx[v]=low[v]=c[0];c[0]+=1;st.append(v);on.add(v)
        for w in G.get(v,()):
            if w not in idx: sc(w);low[v]=min(low[v],low[w])
            elif w in on: low[v]=min(low[v],idx[w])
        if low[v]==idx[v]:
            comp=[]
            while True:
                w=st.pop();on.discard(w);comp.append(w)
                if w==v:break
            if len(comp)>1: res.append(sorted(comp))
    sys.setrecursionlimit(10000)
    for v in list(G):
        if v not in idx: sc(v)
    return res,G
top,G=cycles(lambda m:m.split('::')[0])
print('top-level cycles:',top)
for m in sorted(g):
    pass
for parent in sorted({m.rsplit('::',1)[0] for m in mods if '::' in m}):
    r,_=cycles(lambda m,p=parent: (m[len(p)+2:].split('::')[0] if m.startswith(p+'::') else None))
    if r: print(parent,'sibling cycles:',r)
