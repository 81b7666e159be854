/** Self-contained stylesheet of index.html (no external fonts or assets); light and dark schemes. */
export const INDEX_PAGE_CSS = `
:root{color-scheme:light dark;--bg:#f6f7f9;--card:#fff;--text:#1d2330;--muted:#5b6475;--line:#dfe3ea;--accent:#0b63c5;
--ok:#1a7f37;--ok-bg:#e6f4ea;--warn:#9a6700;--warn-bg:#fff4d6;--bad:#b42318;--bad-bg:#fde8e6;--idle:#57606a;--idle-bg:#eef1f4}
@media (prefers-color-scheme:dark){:root{--bg:#0f1419;--card:#171d24;--text:#e6e9ee;--muted:#9aa4b2;--line:#2a323c;--accent:#6cb1ff;
--ok:#56d364;--ok-bg:#12301c;--warn:#e3b341;--warn-bg:#3a2d0b;--bad:#ff7b72;--bad-bg:#3d1512;--idle:#9aa4b2;--idle-bg:#232b34}}
*{box-sizing:border-box}
body{margin:0;background:var(--bg);color:var(--text);line-height:1.55;
font-family:system-ui,-apple-system,"Segoe UI","PingFang SC","Hiragino Sans GB","Microsoft YaHei","Noto Sans CJK SC","Noto Sans",sans-serif}
a{color:var(--accent)}
header,main,footer{max-width:72rem;margin:0 auto;padding:1rem 1.25rem}
header h1{margin:.5rem 0 .25rem;font-size:1.6rem;line-height:1.25}
header p{margin:.25rem 0;color:var(--muted)}
.subscribe-all{display:inline-block;margin-top:.5rem;padding:.35rem .8rem;border:1px solid var(--line);border-radius:.5rem;background:var(--card);text-decoration:none}
h2{font-size:1.15rem;margin:1.25rem 0 .75rem}
.feeds{display:grid;gap:1rem;grid-template-columns:repeat(auto-fill,minmax(min(100%,21rem),1fr));list-style:none;margin:0;padding:0}
.feed{background:var(--card);border:1px solid var(--line);border-radius:.75rem;padding:1rem;display:flex;flex-direction:column;gap:.5rem;min-width:0;
content-visibility:auto;contain-intrinsic-size:auto 22rem}
.feed h3{margin:0;font-size:1.05rem;overflow-wrap:anywhere}
.feed h3 a{color:inherit;text-decoration:none}.feed h3 a:hover{text-decoration:underline}
.desc{margin:0;color:var(--muted);font-size:.92rem;overflow-wrap:anywhere}
.links{display:flex;flex-wrap:wrap;gap:.4rem;margin:0;padding:0;list-style:none}
.links a{display:inline-block;padding:.15rem .6rem;border:1px solid var(--line);border-radius:999px;font-size:.85rem;text-decoration:none}
.links a:hover{border-color:var(--accent)}
dl{display:grid;grid-template-columns:auto 1fr;gap:.15rem .75rem;margin:0;font-size:.88rem}
dt{color:var(--muted)}dd{margin:0;overflow-wrap:anywhere}
.status{display:inline-block;padding:.05rem .55rem;border-radius:.45rem;font-size:.82rem;font-weight:600}
.health{margin:0}
.status-ok{color:var(--ok);background:var(--ok-bg)}
.status-degraded{color:var(--warn);background:var(--warn-bg)}.status-failing{color:var(--bad);background:var(--bad-bg)}
.status-never-run{color:var(--idle);background:var(--idle-bg)}
.problem{margin:0;font-size:.85rem;color:var(--muted);overflow-wrap:anywhere}
.headlines{margin:0;padding-left:1.2rem;font-size:.9rem}.headlines li{overflow-wrap:anywhere}
.headlines a{color:inherit}.headlines time{color:var(--muted);font-size:.8rem;white-space:nowrap}
.en{color:var(--muted);font-weight:400}
footer{color:var(--muted);font-size:.85rem}
`;
