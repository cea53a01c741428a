#!/usr/bin/env python3
# A folder-dependency reading of a C#/Razor tree, from the source text: which folder uses types declared in which
# other folder (comments, strings and using lines left out), and the cycles between folders.
# Usage: python3 scripts/folder-dependencies.py src/OpenModelWatch.Web [-v]   (the enforced check is tests/.../Architecture)
import os,re,sys,collections
root=sys.argv[1]
verbose='-v' in sys.argv
decl=re.compile(r'^\s*(?:public|internal|private|protected)?\s*(?:static\s+|sealed\s+|abstract\s+|partial\s+|readonly\s+|file\s+)*(?:class|record|enum|interface|struct)\s+(?:struct\s+|class\s+)?([A-Z]\w*)',re.M)
files={}
for d,_,fs in os.walk(root):
    if '/obj' in d or '/bin' in d or 'Migrations' in d: continue
    for f in fs:
        if f.endswith('.cs') or f.endswith('.razor'):
            p=os.path.join(d,f); files[p]=open(p).read()
def folder(p):
    r=os.path.relpath(os.path.dirname(p),root)
    return r
types=collections.defaultdict(set)
for p,t in files.items():
    fo=folder(p)
    if p.endswith('.razor'):
        types[os.path.basename(p)[:-6]].add(fo)
    for m in decl.finditer(t):
        types[m.group(1)].add(fo)
edges=collections.defaultdict(lambda: collections.defaultdict(set))
tok=re.compile(r'\b[A-Z]\w*\b')
for p,t in files.items():
    fo=folder(p)
    # strip comments
    t2=re.sub(r'//.*','',t); t2=re.sub(r'/\*.*?\*/','',t2,flags=re.S); t2=re.sub(r'@\*.*?\*@','',t2,flags=re.S)
    t2=re.sub(r"^\s*(using|@using|namespace).*$","",t2,flags=re.M); t2=re.sub(r"\"(?:[^\"\\\n]|\\.)*\"","\"\"",t2)
    for name in set(tok.findall(t2)):
        for f2 in types.get(name,()):
            if f2!=fo and fo not in types.get(name,()):
                edges[fo][f2].add(name)
# SCCs
nodes=set(edges)|{f for e in edges.values() for f in e}|set(folder(p) for p in files)
index={};low={};st=[];on=set();sccs=[];i=[0]
sys.setrecursionlimit(10000)
def sc(v):
    index[v]=low[v]=i[0];i[0]+=1;st.append(v);on.add(v)
    for w in edges.get(v,{}):
        if w not in index: sc(w);low[v]=min(low[v],low[w])
        elif w in on: low[v]=min(low[v],index[w])
    if low[v]==index[v]:
        c=[]
        while True:
            w=st.pop();on.discard(w);c.append(w)
            if w==v:break
        sccs.append(c)
for v in sorted(nodes):
    if v not in index: sc(v)
cyc=[c for c in sccs if len(c)>1]
print("folders:",len(nodes),"cycles:",len(cyc))
for c in cyc: print("  SCC:",sorted(c))
if verbose:
  for a in sorted(edges):
    for b in sorted(edges[a]):
        print(f"{a} -> {b}: {' '.join(sorted(edges[a][b])[:8])}")
