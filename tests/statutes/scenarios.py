#!/usr/bin/env python3
"""Writes tests/scenarios/** from the specs below.

Each spec is a scenario (roll, attendance, proxies, questions) and the
output expected from the statutes, written BY HAND: the figures in the
expected sentences are computed here from the text of the rules, not
copied from the program. Random draws are checked against an independent
splitmix64 written below (docs/profiles.md, "Random draws").

Run from the repository root: python3 tests/statutes/scenarios.py
"""
import os

OUT = "tests/scenarios"
M64 = (1 << 64) - 1


class SplitMix:
    def __init__(self, seed):
        self.s = seed & M64

    def next(self):
        self.s = (self.s + 0x9E3779B97F4A7C15) & M64
        z = self.s
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & M64
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & M64
        return z ^ (z >> 31)

    def uniform(self, n):
        limit = M64 - M64 % n
        while True:
            r = self.next()
            if r < limit:
                return r % n


def reassign(seed, pools, declined):
    """Random reassignment of absent holders' proxies (Espace+ 4): for each
    proxy in turn, a member drawn from its pool; one who declines is set
    aside and the draw goes on among the others, the generator running on
    from one proxy to the next (docs/profiles.md, "Random draws")."""
    g = SplitMix(seed)
    out = []
    for pool in pools:
        left, dec, pick = list(pool), [], None
        while left:
            t = left[g.uniform(len(left))]
            if t not in declined:
                pick = t
                break
            dec.append(t)
            left.remove(t)
        out.append((pick, dec))
    return out


def draw(pool, k, seed):
    p = list(pool)
    g = SplitMix(seed)
    for i in range(k):
        j = i + g.uniform(len(p) - i)
        p[i], p[j] = p[j], p[i]
    return p[:k]


def q(s):
    if isinstance(s, bool):
        return "true" if s else "false"
    if isinstance(s, int):
        return str(s)
    s = str(s)
    if s.replace("-", "").replace("_", "").isalnum() and not s[0].isdigit() or \
       (len(s) == 10 and s[4] == "-" and s[7] == "-"):
        return s
    return '"' + s.replace('"', '\\"') + '"'


def flow(v):
    if isinstance(v, dict):
        return "{" + ", ".join(f"{k}: {flow(x)}" for k, x in v.items()) + "}"
    if isinstance(v, list):
        return "[" + ", ".join(flow(x) for x in v) + "]"
    return q(v)


def block(d, indent):
    out = []
    pad = " " * indent
    for k, v in d.items():
        if isinstance(v, list) and v and isinstance(v[0], dict):
            out.append(f"{pad}{k}:")
            for item in v:
                out.append(f"{pad}  - {flow(item)}")
        else:
            out.append(f"{pad}{k}: {flow(v)}")
    return out


def members(prefix, n, cat, start=1, **kw):
    return [dict(id=f"{prefix}{i:02d}", category=cat, dues_paid=True, **kw)
            for i in range(start, start + n)]


def ids(prefix, a, b):
    return [f"{prefix}{i:02d}" for i in range(a, b + 1)]


COUNT = 0


def sc(path, profile, body, meeting, roll, questions, attendance=None, proxies=None,
       mail_in=None, internet=None, desc=None, txt=None, err=None, err_en=None, en=None, raw=None,
       at=None):
    global COUNT
    COUNT += 1
    full = os.path.join(OUT, path)
    os.makedirs(os.path.dirname(full), exist_ok=True)
    if raw is not None:
        text = raw
    else:
        lines = ["format: scrutin-scenario/1"]
        if desc:
            lines.append(f"description: {q(desc)}")
        lines += [f"profile: {profile}", f"body: {body}", "meeting:"]
        lines += block(meeting, 2)
        if roll:
            lines.append("roll:")
            for m in roll:
                lines.append(f"  - {flow(m)}")
        else:
            lines.append("roll: []")
        if attendance:
            lines.append("attendance:")
            lines += block(attendance, 2)
        for key, val in (("proxies", proxies), ("mail_in", mail_in)):
            if val:
                lines.append(f"{key}:")
                for p in val:
                    lines.append(f"  - {flow(p)}")
        if internet:
            lines.append(f"internet: {flow(internet)}")
        lines.append("questions:" if questions else "questions: []")
        for qu in questions:
            first = True
            for k, v in qu.items():
                pre = "  - " if first else "    "
                first = False
                if isinstance(v, list) and v and isinstance(v[0], dict):
                    lines.append(f"{pre}{k}:")
                    for item in v:
                        lines.append(f"      - {flow(item)}")
                else:
                    lines.append(f"{pre}{k}: {flow(v)}")
        text = "\n".join(lines) + "\n"
    with open(full, "wb" if isinstance(text, bytes) else "w") as f:
        f.write(text)
    if err is not None and "LINE" in err:
        # The line is where the item named in the message starts (not a result).
        import re
        if at is None:
            at = "- id: " + re.search(r"question « ([^ ]+) »", err).group(1)
        n = [i + 1 for i, l in enumerate(text.split("\n")) if at in l][0]
        err = err.replace("LINE", str(n))
        err_en = err_en.replace("LINE", str(n))
    base = full[:-5]
    for ext, val in ((".expected.txt", txt), (".expected.err", err), (".expected.en.txt", en),
                     (".expected.en.err", err_en)):
        if val is not None:
            with open(base + ext, "w") as f:
                f.write(val if val.endswith("\n") else val + "\n")


def motion(qid, decision, pour, contre, abst, on_agenda=True, **kw):
    d = dict(id=qid, kind="motion", decision=decision, on_agenda=on_agenda)
    d.update(kw)
    d["totals"] = dict(pour=pour, contre=contre, abstention=abst)
    return d


def pl(n, one, many):
    return one if n <= 1 else many


LABEL = "majorité relative"


def rel(pour, contre, abst, label=None, noun="Motion", e="e"):
    """Expected sentence of a relative-majority motion: more pour than contre
    (ANIMT IV al. 3). A tie rejects; 0 pour is never a tie (no decision
    without one vote for). noun, e: what the rule adopts and its agreement
    (« Vœu adopté », the profile's subject); a tie still says « Motion »."""
    label = label or LABEL
    t = f"{pour} voix pour, {contre} contre, {abst} {pl(abst, 'abstention', 'abstentions')}"
    if pour > contre:
        return f"{noun} adopté{e} à la {label} : {t}."
    if pour == contre and pour > 0:
        return f"Motion rejetée : partage des voix, {t}."
    return f"{noun} rejeté{e} : {t} ({label} non atteinte)."


# =====================================================================
# ANIMT — assemblée générale
# =====================================================================
P = "animt"
NOQ = {"date": "2024-06-15", "convocation": "first", "quorum": "none"}
QNONE = "Aucun quorum n'est requis (fixé pour cette réunion)."
r30 = members("m", 30, "membre_de_droit")
att30 = {"present": ids("m", 1, 30)}

# Relative majority: more pour than contre (IV al. 3); tie rejects (no casting vote at the AG).
cases = [("adopted", 5, 4, 1), ("tie", 4, 4, 2), ("one-under", 4, 5, 1), ("zero", 0, 0, 0),
         ("only-abstentions", 0, 0, 3), ("one-over", 1, 0, 0)]
for name, p_, c_, a_ in cases:
    sc(f"animt/ag-relative-{name}.yaml", P, "ag", NOQ, r30[:10], [motion("q1", "ordinary", p_, c_, a_)],
       attendance={"present": ids("m", 1, 10)}, txt=f"{QNONE}\n[q1] {rel(p_, c_, a_)}")

# Absolute majority: pour above 50 % of expressed (pour+contre+abstention) (IV al. 3).
# 27 expressed: more than 13.5 -> 14. 28 expressed: more than 14 -> 15.
def absolute(p_, c_, a_, label="majorité absolue"):
    e = p_ + c_ + a_
    req = e // 2 + 1
    if p_ >= max(req, 1):
        return f"Motion adoptée à la {label} : {p_} voix pour sur {e} {pl(e, 'suffrage exprimé', 'suffrages exprimés')} (seuil : {req})."
    s = f"Motion rejetée : {p_} voix pour sur {e} {pl(e, 'suffrage exprimé', 'suffrages exprimés')} ; la {label} demandait {max(req, 1)}."
    if a_ > p_ and a_ > c_:
        s += f" Les abstentions sont majoritaires ({a_}) : la motion sera revotée sans amendement à la prochaine assemblée générale, à la majorité relative (art. V al. 3 (modification des statuts), IV al. 4)."
    return s

for name, p_, c_, a_ in [("odd-exact", 14, 10, 3), ("odd-under", 13, 11, 3), ("example", 15, 10, 2),
                         ("even-half", 14, 10, 4), ("even-over", 15, 9, 4), ("zero", 0, 0, 0)]:
    sc(f"animt/ag-absolute-{name}.yaml", P, "ag", NOQ, r30, [motion("q1", "statutes", p_, c_, a_)],
       attendance=att30, txt=f"{QNONE}\n[q1] {absolute(p_, c_, a_)}")

# Abstention majority (IV al. 4): abstention the most numerous answer -> revote next AG.
for name, p_, c_, a_ in [("revote", 8, 5, 14), ("abst-equals-pour", 10, 7, 10), ("abst-one-over-pour", 10, 7, 11),
                         ("abst-equals-contre", 5, 11, 11)]:
    sc(f"animt/ag-abstention-{name}.yaml", P, "ag", NOQ, r30, [motion("q1", "statutes", p_, c_, a_)],
       attendance=att30, txt=f"{QNONE}\n[q1] {absolute(p_, c_, a_)}")

# The CA may require the absolute majority (V): 6/5/2 -> 13 expressed -> threshold 7 -> rejected.
sc("animt/ag-escalated-by-ca.yaml", P, "ag", NOQ, r30[:13],
   [motion("q1", "ordinary", 6, 5, 2, escalated_by="ca"), motion("q2", "ordinary", 6, 5, 2)],
   attendance={"present": ids("m", 1, 13)},
   txt=f"{QNONE}\n[q1] Motion rejetée : 6 voix pour sur 13 suffrages exprimés ; la majorité absolue demandait 7.\n[q2] {rel(6, 5, 2)}")
sc("animt/ag-escalated-by-bureau-invalid.yaml", P, "ag", NOQ, r30[:5],
   [motion("q1", "ordinary", 3, 1, 0, escalated_by="bureau")], attendance={"present": ids("m", 1, 5)},
   err="scrutin count: tests/scenarios/animt/ag-escalated-by-bureau-invalid.yaml:LINE: question « q1 » : la majorité renforcée n'est pas demandée par qui peut la demander (art. V)",
   err_en="scrutin count: tests/scenarios/animt/ag-escalated-by-bureau-invalid.yaml:LINE: question 'q1': the escalation is not requested by who may request it (art. V)")

# Alternative motions (IV): among approved ones, the most pour wins.
def alt(i, p_, c_, a_):
    return {"id": i, "totals": {"pour": p_, "contre": c_, "abstention": a_}}
sc("animt/ag-alternatives-winner.yaml", P, "ag", NOQ, r30[:15],
   [{"id": "q1", "kind": "alternatives", "decision": "ordinary", "on_agenda": True,
     "motions": [alt("a", 10, 5, 0), alt("b", 12, 3, 0), alt("c", 4, 11, 0)]}],
   attendance={"present": ids("m", 1, 15)},
   txt=f"{QNONE}\n[q1] Motion « a » adoptée à la majorité relative : 10 voix pour, 5 contre, 0 abstention. "
       "Motion « b » adoptée à la majorité relative : 12 voix pour, 3 contre, 0 abstention. "
       "Motion « c » rejetée : 4 voix pour, 11 contre, 0 abstention (majorité relative non atteinte). "
       "La motion « b » l'emporte avec 12 voix pour, le plus grand nombre parmi les motions approuvées.")
sc("animt/ag-alternatives-tie.yaml", P, "ag", NOQ, r30[:15],
   [{"id": "q1", "kind": "alternatives", "decision": "ordinary", "on_agenda": True,
     "motions": [alt("a", 10, 5, 0), alt("b", 10, 4, 1)]}],
   attendance={"present": ids("m", 1, 15)},
   txt=f"{QNONE}\n[q1] Motion « a » adoptée à la majorité relative : 10 voix pour, 5 contre, 0 abstention. "
       "Motion « b » adoptée à la majorité relative : 10 voix pour, 4 contre, 1 abstention. "
       "Égalité de voix pour entre motions approuvées : le règlement ne départage pas.")
sc("animt/ag-alternatives-none.yaml", P, "ag", NOQ, r30[:15],
   [{"id": "q1", "kind": "alternatives", "decision": "ordinary", "on_agenda": True,
     "motions": [alt("a", 7, 7, 1), alt("b", 2, 13, 0)]}],
   attendance={"present": ids("m", 1, 15)},
   txt=f"{QNONE}\n[q1] Motion « a » rejetée : partage des voix, 7 voix pour, 7 contre, 1 abstention. "
       "Motion « b » rejetée : 2 voix pour, 13 contre, 0 abstention (majorité relative non atteinte). "
       "Aucune motion n'est approuvée.")

# Proxies (V): max 4 besides one's own vote, to another membre de droit, naming
# the AG's date, the giver and the holder.
roll = members("m", 14, "membre_de_droit") + [dict(id="b01", category="membre_bienfaiteur", dues_paid=True),
                                              dict(id="u01", category="membre_de_droit", dues_paid=False)]
D = "2024-06-15"
px = [dict(giver=g, holder="m01", assembly_date=D) for g in ("m03", "m04", "m05", "m06", "m07")]
px += [dict(giver="m08", holder="m02"), dict(giver="m09", holder="m02", assembly_date="2024-06-14"),
       dict(giver="m10"), dict(giver="m11", holder="m12", assembly_date=D),
       dict(giver="m13", holder="b01", assembly_date=D), dict(giver="m14", holder="m02", assembly_date=D),
       dict(giver="m14", holder="m01", assembly_date=D), dict(giver="u01", holder="m02", assembly_date=D),
       dict(giver="m02", holder="m01", assembly_date=D)]
# Voices: present m01, m02, b01 (b01 consultative) -> 2 voters present; accepted: m03..m06 (4 to m01), m14 -> m02.
sc("animt/ag-proxies.yaml", P, "ag", NOQ, roll,
   [motion("q1", "ordinary", 5, 2, 0)],
   attendance={"present": ["m01", "m02", "b01"]}, proxies=px,
   txt="b01 : pas de voix délibérative (voix consultative seulement).\n"
       "u01 : pas de voix délibérative (cotisation non à jour à la date du vote).\n"
       "Procuration de m07 refusée (au-delà du plafond).\n"
       "Procuration de m08 refusée (date de l'assemblée absente).\n"
       "Procuration de m09 refusée (date de l'assemblée erronée).\n"
       "Procuration de m10 refusée (mandataire non désigné).\n"
       "Procuration de m11 refusée (mandataire absent).\n"
       "Procuration de m13 refusée (mandataire sans droit de vote).\n"
       "Procuration de m14 refusée (procuration en double).\n"
       "Procuration de u01 refusée (mandant sans droit de vote).\n"
       "Procuration de m02 refusée (mandant présent).\n"
       f"{QNONE}\n[q1] {rel(5, 2, 0)}\n")
sc("animt/ag-proxies-too-many-votes.yaml", P, "ag", NOQ, roll,
   [motion("q1", "ordinary", 5, 3, 0)],
   attendance={"present": ["m01", "m02", "b01"]}, proxies=px[:5] + [px[10]],
   err="scrutin count: tests/scenarios/animt/ag-proxies-too-many-votes.yaml:LINE: question « q1 » : 8 voix, mais 7 seulement peuvent s'exprimer",
   err_en="scrutin count: tests/scenarios/animt/ag-proxies-too-many-votes.yaml:LINE: question 'q1': 8 votes but only 7 voices can be cast")

# Mail-in (V): agenda motions only; on a motion added on the day the voice goes as
# a proxy to the holder named in advance, within the holder's cap of 4.
roll = members("m", 12, "membre_de_droit")
px = [dict(giver=g, holder="m01", assembly_date=D) for g in ("m03", "m04", "m05")]
mi = [dict(voter="m06", fallback_holder="m01"), dict(voter="m07", fallback_holder="m01"),
      dict(voter="m08", fallback_holder="m02"), dict(voter="m09"), dict(voter="m10", fallback_holder="m11"),
      dict(voter="m01")]
# Agenda: present m01,m02 (2) + represented 3 + mail-in m06..m10 (5) = 10.
# Off agenda: m06 -> m01 (4th proxy, ok), m07 -> m01 (5th: over cap), m08 -> m02 ok,
# m09 none named, m10 -> m11 absent. Voices 2 + 3 + 2 = 7.
sc("animt/ag-mail-in-fallback.yaml", P, "ag", NOQ, roll,
   [motion("q1", "ordinary", 6, 4, 0), motion("q2", "ordinary", 4, 3, 0, on_agenda=False)],
   attendance={"present": ["m01", "m02"]}, proxies=px, mail_in=mi,
   txt="Vote par correspondance de m01 refusé (mandant présent).\n"
       f"{QNONE}\n[q1] {rel(6, 4, 0)}\n[q2] {rel(4, 3, 0)}"
       " Voix de m07 non comptée (au-delà du plafond). Voix de m09 non comptée (pas de mandataire désigné pour les motions nouvelles)."
       " Voix de m10 non comptée (mandataire absent).")
sc("animt/ag-mail-in-off-agenda-over.yaml", P, "ag", NOQ, roll,
   [motion("q2", "ordinary", 4, 4, 0, on_agenda=False)],
   attendance={"present": ["m01", "m02"]}, proxies=px, mail_in=mi,
   err="scrutin count: tests/scenarios/animt/ag-mail-in-off-agenda-over.yaml:LINE: question « q2 » : 8 voix, mais 7 seulement peuvent s'exprimer",
   err_en="scrutin count: tests/scenarios/animt/ag-mail-in-off-agenda-over.yaml:LINE: question 'q2': 8 votes but only 7 voices can be cast")

# Secret ballot (V): show of hands unless a member objects, defiance, CA election, Bureau request.
sec = [motion("q1", "ordinary", 6, 3, 1),
       motion("q2", "ordinary", 6, 3, 1, secret={"objection": True}),
       motion("q3", "defiance", 6, 3, 1),
       motion("q4", "ordinary", 6, 3, 1, secret={"requested_by": ["bureau"]}),
       motion("q5", "ordinary", 6, 3, 1, secret={"requested_by": ["ca"]})]
sc("animt/ag-secret-triggers.yaml", P, "ag", NOQ, r30[:10], sec, attendance={"present": ids("m", 1, 10)},
   txt=f"{QNONE}\n[q1] {rel(6, 3, 1)}\n[q2] Vote à bulletin secret. {rel(6, 3, 1)}\n"
       "[q3] Vote à bulletin secret. Motion adoptée à la majorité absolue : 6 voix pour sur 10 suffrages exprimés (seuil : 6).\n"
       f"[q4] Vote à bulletin secret. {rel(6, 3, 1)}\n[q5] {rel(6, 3, 1)}")
sc("animt/ag-secret-open-votes-invalid.yaml", P, "ag", NOQ, r30[:3],
   [{"id": "q1", "kind": "motion", "decision": "ordinary", "on_agenda": True, "secret": {"objection": True},
     "open_votes": [{"voice": "m01", "choice": "pour"}]}], attendance={"present": ids("m", 1, 3)},
   err="scrutin count: tests/scenarios/animt/ag-secret-open-votes-invalid.yaml:LINE: question « q1 » : des votes nominatifs pour un vote qui doit être secret",
   err_en="scrutin count: tests/scenarios/animt/ag-secret-open-votes-invalid.yaml:LINE: question 'q1': named open votes for a vote that must be secret")
sc("animt/ag-open-votes.yaml", P, "ag", NOQ, r30[:4],
   [{"id": "q1", "kind": "motion", "decision": "ordinary", "on_agenda": True,
     "open_votes": [{"voice": "m01", "choice": "pour"}, {"voice": "m02", "choice": "pour"},
                    {"voice": "m03", "choice": "contre"}, {"voice": "m04", "choice": "abstention"}]}],
   attendance={"present": ids("m", 1, 3)}, proxies=[dict(giver="m04", holder="m01", assembly_date=D)],
   txt=f"{QNONE}\n[q1] {rel(2, 1, 1)}")
sc("animt/ag-open-votes-absent-invalid.yaml", P, "ag", NOQ, r30[:4],
   [{"id": "q1", "kind": "motion", "decision": "ordinary", "on_agenda": True,
     "open_votes": [{"voice": "m01", "choice": "pour"}, {"voice": "m04", "choice": "pour"}]}],
   attendance={"present": ids("m", 1, 3)},
   err="scrutin count: tests/scenarios/animt/ag-open-votes-absent-invalid.yaml:LINE: vote nominatif : la voix de « m04 » ne peut pas s'exprimer sur la question « q1 »",
   err_en="scrutin count: tests/scenarios/animt/ag-open-votes-absent-invalid.yaml:LINE: open vote: the voice of 'm04' cannot be cast on question 'q1'",
   at="{voice: m04")

# Suspected fraud or error (V al. 1): the moderator must propose a second vote.
sc("animt/ag-fraud.yaml", P, "ag", NOQ, r30[:10], [motion("q1", "ordinary", 6, 3, 1, fraud_suspected=True)],
   attendance={"present": ids("m", 1, 10)},
   txt=f"{QNONE}\n[q1] Fraude ou erreur suspectée : le modérateur doit proposer un second vote (art. V).")

# The AG quorum is in the statutes: the meeting must state it (never a default).
sc("animt/ag-quorum-missing-invalid.yaml", P, "ag", {"date": D, "convocation": "first"}, r30[:3],
   [motion("q1", "ordinary", 1, 0, 0)], attendance={"present": ids("m", 1, 3)},
   err="scrutin count: tests/scenarios/animt/ag-quorum-missing-invalid.yaml: le profil laisse le quorum de l'instance « ag » à la réunion (art. I (statuts)) : meeting.quorum doit l'indiquer",
   err_en="scrutin count: tests/scenarios/animt/ag-quorum-missing-invalid.yaml: the profile leaves the quorum of body 'ag' to the meeting (art. I (statuts)): meeting.quorum must state it")
sc("animt/ag-quorum-set-by-meeting.yaml", P, "ag",
   {"date": D, "convocation": "first", "quorum": {"counts": ["present", "represented", "mail_in"], "fraction": "1/3",
    "compare": "at_least", "rounding": "none", "second_convocation": "no_quorum"}}, r30[:10],
   [motion("q1", "ordinary", 2, 1, 0)], attendance={"present": ids("m", 1, 3)},
   # 10 members, a third: 3.33 -> at least 4; 3 present -> not met.
   txt="Quorum non atteint : 3 membres présents, représentés ou ayant voté par correspondance sur 10 (seuil : 4). "
       "L'assemblée générale ne peut pas délibérer. Une seconde convocation délibérera sans condition de quorum.\n"
       "[q1] Pas de décision : le quorum n'est pas atteint.")

# Recusal at the AG: the member concerned does not vote nor hold a proxy for that decision.
sc("animt/ag-recusal.yaml", P, "ag", NOQ, r30[:6],
   [motion("q1", "ordinary", 2, 1, 0, recused=["m01"])], attendance={"present": ids("m", 1, 4)},
   proxies=[dict(giver="m05", holder="m01", assembly_date=D), dict(giver="m06", holder="m02", assembly_date=D)],
   # voices: present m02..m04 (3) + m06 via m02 = 4; m01 recused, m05's holder recused.
   txt=f"{QNONE}\n[q1] {rel(2, 1, 0)} Voix de m01 non comptée (récusé). Voix de m05 non comptée (mandataire récusé).")
sc("animt/ag-recusal-over-invalid.yaml", P, "ag", NOQ, r30[:6],
   [motion("q1", "ordinary", 3, 2, 0, recused=["m01"])], attendance={"present": ids("m", 1, 4)},
   proxies=[dict(giver="m05", holder="m01", assembly_date=D), dict(giver="m06", holder="m02", assembly_date=D)],
   err="scrutin count: tests/scenarios/animt/ag-recusal-over-invalid.yaml:LINE: question « q1 » : 5 voix, mais 4 seulement peuvent s'exprimer",
   err_en="scrutin count: tests/scenarios/animt/ag-recusal-over-invalid.yaml:LINE: question 'q1': 5 votes but only 4 voices can be cast")

# CA election (VIII): post by post; referents elected by their inter-region's voters only;
# ties broken by function, city not yet represented, semesters, sex toward parity, age.
def cand(i, v):
    return {"id": i, "votes": v}
def rm(i, region, **kw):
    return dict(id=i, category="membre_de_droit", dues_paid=True, region=region, **kw)
roll = [rm("v01", "idf"), rm("v02", "idf"), rm("v03", "idf"), rm("v04", "idf"), rm("v05", "aura"), rm("v06", "aura"),
        rm("c01", "idf", city_referent=True, city="Paris", semesters=4, sex="F", birth="1995-01-01"),
        rm("c02", "idf", city_referent=False, city="Paris", semesters=6, sex="M", birth="1994-01-01"),
        rm("c03", "idf", city_referent=True, city="Créteil", semesters=4, sex="M", birth="1996-01-01"),
        rm("c04", "idf", city_referent=True, city="Créteil", semesters=5, sex="M", birth="1996-01-01"),
        rm("c05", "idf", city_referent=True, city="Créteil", semesters=5, sex="F", birth="1996-01-01"),
        rm("c06", "idf", city_referent=True, city="Créteil", semesters=5, sex="F", birth="1993-05-05"),
        rm("c07", "aura", city_referent=True, city="Lyon", semesters=5, sex="F", birth="1993-05-05"),
        rm("c08", "idf", city_referent=True, city="Créteil", semesters=5, sex="F", birth="1993-05-05")]
allp = {"present": [m["id"] for m in roll]}
ref = lambda qid, cands, **kw: dict(id=qid, kind="election", election="college_a_referent", post="Référent Île-de-France",
                                    region="idf", seats=1, ballots={"valid": sum(c["votes"] for c in cands)},
                                    candidates=cands, represented_cities=["Paris"], board={"F": 3, "M": 2}, **kw)
# idf voters: v01-v04, c01-c06, c08 = 11.
E = "Vote à bulletin secret. "
sc("animt/ag-election-referent-tiebreaks.yaml", P, "ag", NOQ, roll,
   [ref("e1", [cand("c01", 3), cand("c02", 3)]),    # function: c01 is a city referent
    ref("e2", [cand("c01", 3), cand("c03", 3)]),    # both referents; city: Créteil not represented
    ref("e3", [cand("c03", 3), cand("c04", 3)]),    # same city; semesters 5 > 4
    ref("e4", [cand("c04", 3), cand("c05", 3)]),    # board F3 M2: parity favours M
    ref("e5", [cand("c05", 3), cand("c06", 3)]),    # same sex: eldest (1993)
    ref("e6", [cand("c06", 3), cand("c08", 3)]),    # identical: unresolved
    ref("e7", [cand("c01", 5), cand("c02", 3)])],   # no tie
   attendance=allp,
   txt=f"{QNONE}\n"
       f"[e1] {E}Élu(e) (Référent Île-de-France) : c01 (3 voix), sur 6 bulletins valables. Égalité départagée par la fonction en faveur de c01.\n"
       f"[e2] {E}Élu(e) (Référent Île-de-France) : c03 (3 voix), sur 6 bulletins valables. Égalité départagée par la ville non encore représentée en faveur de c03.\n"
       f"[e3] {E}Élu(e) (Référent Île-de-France) : c04 (3 voix), sur 6 bulletins valables. Égalité départagée par le nombre de semestres validés en faveur de c04.\n"
       f"[e4] {E}Élu(e) (Référent Île-de-France) : c04 (3 voix), sur 6 bulletins valables. Égalité départagée par le sexe (parité) en faveur de c04.\n"
       f"[e5] {E}Élu(e) (Référent Île-de-France) : c06 (3 voix), sur 6 bulletins valables. Égalité départagée par l'âge en faveur de c06.\n"
       f"[e6] {E}Référent Île-de-France : égalité non départagée entre c06 (3 voix), c08 (3 voix) ; le règlement ne départage pas, le vote doit être repris.\n"
       f"[e7] {E}Élu(e) (Référent Île-de-France) : c01 (5 voix), sur 8 bulletins valables.")
sc("animt/ag-election-referent-region-voices-invalid.yaml", P, "ag", NOQ, roll,
   [ref("e1", [cand("c01", 7), cand("c02", 5)])], attendance=allp,
   err="scrutin count: tests/scenarios/animt/ag-election-referent-region-voices-invalid.yaml:LINE: question « e1 » : 12 bulletins, mais 11 voix seulement peuvent s'exprimer",
   err_en="scrutin count: tests/scenarios/animt/ag-election-referent-region-voices-invalid.yaml:LINE: question 'e1': 12 ballots but only 11 voices can be cast")
sc("animt/ag-election-referent-candidate-region-invalid.yaml", P, "ag", NOQ, roll,
   [ref("e1", [cand("c01", 3), cand("c07", 2)])], attendance=allp,
   err="scrutin count: tests/scenarios/animt/ag-election-referent-candidate-region-invalid.yaml:LINE: question « e1 » : le candidat « c07 » n'est pas éligible : pas de la région du poste (art. VIII (collège A))",
   err_en="scrutin count: tests/scenarios/animt/ag-election-referent-candidate-region-invalid.yaml:LINE: question 'e1': candidate 'c07' is not eligible: not of the post's region (art. VIII (collège A))",
   at="{id: c07, votes")
sc("animt/ag-election-college-b-tie.yaml", P, "ag", NOQ, roll,
   [dict(id="e1", kind="election", election="college_b", post="Chargé d'organisation", seats=1,
         ballots={"valid": 10, "blank": 2}, candidates=[cand("c01", 5), cand("c02", 5)]),
    dict(id="e2", kind="election", election="college_b", post="Chargé des partenariats", seats=1,
         ballots={"valid": 10}, candidates=[cand("c03", 6), cand("c04", 4)])],
   attendance=allp,
   txt=f"{QNONE}\n[e1] {E}Chargé d'organisation : égalité non départagée entre c01 (5 voix), c02 (5 voix) ; le règlement ne départage pas, le vote doit être repris.\n"
       f"[e2] {E}Élu(e) (Chargé des partenariats) : c03 (6 voix), sur 10 bulletins valables.")
sc("animt/ag-election-candidate-dues-invalid.yaml", P, "ag", NOQ,
   members("m", 4, "membre_de_droit") + [dict(id="x01", category="membre_de_droit", dues_paid=False)],
   [dict(id="e1", kind="election", election="college_b", seats=1, ballots={"valid": 3},
         candidates=[cand("m01", 2), cand("x01", 1)])], attendance={"present": ids("m", 1, 4)},
   err="scrutin count: tests/scenarios/animt/ag-election-candidate-dues-invalid.yaml:LINE: question « e1 » : le candidat « x01 » n'est pas éligible : cotisation non à jour à la date du vote (art. VII, VIII)",
   err_en="scrutin count: tests/scenarios/animt/ag-election-candidate-dues-invalid.yaml:LINE: question 'e1': candidate 'x01' is not eligible: dues not paid at the vote date (art. VII, VIII)",
   at="{id: x01, votes")

# =====================================================================
# ANIMT — conseil d'administration
# =====================================================================
CAM = {"date": D, "convocation": "first"}
ca = members("a", 9, "administrateur") + [dict(id="k01", category="college_c")]
# Quorum (XI): at least half of the 10 members present or represented, with or without a vote: 5.
def caq(n, base=10):
    req = (base + 1) // 2
    ok = "Quorum atteint" if n >= req else "Quorum non atteint"
    s = f"{ok} : {n} {pl(n, 'membre présent, à distance ou représenté', 'membres présents, à distance ou représentés')} sur {base} (seuil : {req}, art. XI)."
    if n < req:
        s += " Le conseil d'administration ne peut pas délibérer."
    return s
sc("animt/ca-quorum-exact.yaml", P, "ca", CAM, ca, [motion("q1", "ordinary", 3, 1, 0)],
   attendance={"present": ["a01", "a02", "a03", "a04", "k01"]},
   txt=f"k01 : pas de voix délibérative (voix consultative seulement).\n{caq(5)}\n[q1] {rel(3, 1, 0)}")
sc("animt/ca-quorum-one-under.yaml", P, "ca", CAM, ca, [motion("q1", "ordinary", 3, 1, 0)],
   attendance={"present": ["a01", "a02", "a03", "a04"]},
   txt=f"k01 : pas de voix délibérative (voix consultative seulement).\n{caq(4)}\n[q1] Pas de décision : le quorum n'est pas atteint.",
   en="k01: no deliberative vote (consultative voice only).\n"
      "Quorum not reached: 4 members present, remote or represented out of 10 (threshold: 5, art. XI). "
      "The board cannot deliberate.\n[q1] No decision: the quorum is not reached.")
sc("animt/ca-quorum-represented.yaml", P, "ca", CAM, ca, [motion("q1", "ordinary", 3, 2, 0)],
   attendance={"present": ["a01", "a02", "a03"], "remote": ["a04"]},
   proxies=[dict(giver="a05", holder="a01"), dict(giver="a06", holder="a01"), dict(giver="a07", holder="a02")],
   txt="k01 : pas de voix délibérative (voix consultative seulement).\n"
       f"Procuration de a06 refusée (au-delà du plafond).\n{caq(6)}\n[q1] {rel(3, 2, 0)}")
# The president's casting vote at a tie (XI): the President (roles: president), there and
# voting; the tie goes the way he voted. Otherwise (absent, nobody president, no voice on the
# question, abstained, did not vote, a secret ballot the profile reads as tie_rejects) the tie
# rejects (pour is not above contre). Absolute-majority rules have no casting vote.
def casting(pres, there, voice, secret, pv):
    """Which way the casting vote goes, from the facts, as XI / II read it."""
    if not pres:
        return "no_president"
    if not there:
        return "absent"
    if not voice:
        return "no_voice"
    if secret:
        return "secret"
    return "needed" if pv is None else pv
CWHY = {"no_president": ("aucun membre n'est désigné président : pas de voix prépondérante",
                         "no member is designated president: no casting vote"),
        "absent": ("le président, absent, n'a pas de voix prépondérante", "the president, absent, has no casting vote"),
        "no_voice": ("le président ne prend pas part à ce vote : pas de voix prépondérante",
                     "the president takes no part in this vote: no casting vote"),
        "none": ("le président n'a pas voté : pas de voix prépondérante", "the president did not vote: no casting vote"),
        "abstention": ("le président s'est abstenu : pas de voix prépondérante", "the president abstained: no casting vote"),
        "secret": ("le vote du président est secret : pas de voix prépondérante", "the president's vote is secret: no casting vote")}
def tie(p_, c_, a_, art, how, en=False):
    """Expected sentence of a tie (p_ = c_ > 0) under a rule with a casting vote; French, or English."""
    assert p_ == c_ > 0
    k = 1 if en else 0
    t = (f"{p_} voix pour, {c_} contre, {a_} {pl(a_, 'abstention', 'abstentions')}",
         f"{p_} for, {c_} against, {a_} {'abstention' if a_ == 1 else 'abstentions'}")[k]
    if how in ("pour", "contre"):
        verb = (("adoptée", "adopted"), ("rejetée", "rejected"))[how == "contre"][k]
        voted = (how, "for" if how == "pour" else "against")[k]
        return (f"Motion {verb} par la voix prépondérante du président (art. {art}) : partage des voix, {t} ; "
                f"le président a voté {voted}.",
                f"Motion {verb} by the president's casting vote (art. {art}): a tie, {t}; the president voted {voted}.")[k]
    need = {"needed": ("le vote du président doit être connu", "the president's vote must be known"),
            "declare": ("le président doit déclarer son vote", "the president must declare his vote")}
    if how in need:
        return (f"Partage des voix ({p_} pour, {c_} contre) : {need[how][0]} pour que sa voix prépondérante tranche (art. {art}).",
                f"Tie ({p_} for, {c_} against): {need[how][1]} for his casting vote to decide (art. {art}).")[k]
    return (f"Motion rejetée : partage des voix, {t} ; {CWHY[how][0]} (art. {art}).",
            f"Motion rejected: a tie, {t}; {CWHY[how][1]} (art. {art}).")[k]
def relen(pour, contre, abst, label=LABEL):
    """rel() in English (the rule's label stays French)."""
    t = f"{pour} for, {contre} against, {abst} {'abstention' if abst == 1 else 'abstentions'}"
    if pour > contre:
        return f"Motion adopted by {label}: {t}."
    if pour == contre and pour > 0:
        return f"Motion rejected: a tie, {t}."
    return f"Motion rejected: {t} ({label} not reached)."
ovm = lambda pour, contre, abst: [{"voice": v, "choice": c} for c, vs in
                                  (("pour", pour), ("contre", contre), ("abstention", abst)) for v in vs]
def open_ties(decision, pre):
    """q1-q4: 4-4 ties by name, the president (pre01) voting contre, pour, abstention, not at all."""
    om = lambda qid, pour, contre, abst: dict(id=qid, kind="motion", decision=decision, on_agenda=True,
                                              open_votes=ovm(pour, contre, abst))
    return [om("q1", ids(pre, 5, 8), ids(pre, 1, 4), [f"{pre}09"]), om("q2", ids(pre, 1, 4), ids(pre, 5, 8), [f"{pre}09"]),
            om("q3", ids(pre, 2, 5), ids(pre, 6, 9), [f"{pre}01"]), om("q4", ids(pre, 2, 5), ids(pre, 6, 9), [])]
caP = [dict(id="a01", category="administrateur", dues_paid=True, roles=["president"])] + \
      members("a", 8, "administrateur", start=2) + [dict(id="k01", category="college_c")]
ca5 = {"present": ids("a", 1, 9)}
K01 = "k01 : pas de voix délibérative (voix consultative seulement).\n"
K01EN = "k01: no deliberative vote (consultative voice only).\n"
def caqen(n, base=10):
    return f"Quorum reached: {n} members present, remote or represented out of {base} (threshold: {(base + 1) // 2}, art. XI)."
# Show of hands counted by totals: president_vote says how the President voted.
cv = [("q1", "pour"), ("q2", "contre"), ("q3", None), ("q7", "abstention"), ("q8", "none")]
sc("animt/ca-casting-vote.yaml", P, "ca", CAM, caP,
   [motion("q1", "ordinary", 4, 4, 1, president_vote="pour"), motion("q2", "ordinary", 4, 4, 1, president_vote="contre"),
    motion("q3", "ordinary", 4, 4, 1), motion("q4", "radiation", 4, 4, 1), motion("q5", "radiation", 5, 4, 0),
    motion("q6", "ordinary", 4, 3, 2, escalated_by="member"),
    motion("q7", "ordinary", 4, 4, 1, president_vote="abstention"), motion("q8", "ordinary", 4, 4, 0, president_vote="none")],
   attendance=ca5,
   txt=K01 + caq(9) + "\n"
       f"[q1] {tie(4, 4, 1, 'XI', casting(True, True, True, False, 'pour'))}\n"
       f"[q2] {tie(4, 4, 1, 'XI', casting(True, True, True, False, 'contre'))}\n"
       f"[q3] {tie(4, 4, 1, 'XI', casting(True, True, True, False, None))}\n"
       "[q4] Motion rejetée : 4 voix pour sur 9 suffrages exprimés ; la majorité absolue demandait 5.\n"
       "[q5] Motion adoptée à la majorité absolue : 5 voix pour sur 9 suffrages exprimés (seuil : 5).\n"
       "[q6] Motion rejetée : 4 voix pour sur 9 suffrages exprimés ; la majorité absolue demandait 5.\n"
       f"[q7] {tie(4, 4, 1, 'XI', casting(True, True, True, False, 'abstention'))}\n"
       f"[q8] {tie(4, 4, 0, 'XI', casting(True, True, True, False, 'none'))}",
   en=K01EN + caqen(9) + "\n"
       f"[q1] {tie(4, 4, 1, 'XI', 'pour', en=True)}\n[q2] {tie(4, 4, 1, 'XI', 'contre', en=True)}\n"
       f"[q3] {tie(4, 4, 1, 'XI', 'needed', en=True)}\n"
       "[q4] Motion rejected: 4 for out of 9 votes cast; majorité absolue required 5.\n"
       "[q5] Motion adopted by majorité absolue: 5 for out of 9 votes cast (threshold: 5).\n"
       "[q6] Motion rejected: 4 for out of 9 votes cast; majorité absolue required 5.\n"
       f"[q7] {tie(4, 4, 1, 'XI', 'abstention', en=True)}\n[q8] {tie(4, 4, 0, 'XI', 'none', en=True)}")
# Named show of hands: the President's own vote decides the tie, whichever way it went.
sc("animt/ca-casting-open-votes.yaml", P, "ca", CAM, caP,
   open_ties("ordinary", "a") +
   [dict(id="q5", kind="motion", decision="ordinary", on_agenda=True,
         open_votes=ovm(ids("a", 4, 8), ids("a", 1, 3), ["a09"]))],
   attendance=ca5,
   txt=K01 + caq(9) + "\n"
       f"[q1] {tie(4, 4, 1, 'XI', casting(True, True, True, False, 'contre'))}\n"
       f"[q2] {tie(4, 4, 1, 'XI', casting(True, True, True, False, 'pour'))}\n"
       f"[q3] {tie(4, 4, 1, 'XI', casting(True, True, True, False, 'abstention'))}\n"
       f"[q4] {tie(4, 4, 0, 'XI', casting(True, True, True, False, 'none'))}\n"
       f"[q5] {rel(5, 3, 1)}",
   en=K01EN + caqen(9) + "\n"
       f"[q1] {tie(4, 4, 1, 'XI', 'contre', en=True)}\n[q2] {tie(4, 4, 1, 'XI', 'pour', en=True)}\n"
       f"[q3] {tie(4, 4, 1, 'XI', 'abstention', en=True)}\n[q4] {tie(4, 4, 0, 'XI', 'none', en=True)}\n"
       f"[q5] {relen(5, 3, 1)}")
# The President absent (represented by a proxy is not there): no casting vote.
sc("animt/ca-casting-president-absent.yaml", P, "ca", CAM, caP,
   [motion("q1", "ordinary", 4, 4, 1), motion("q2", "ordinary", 4, 4, 1, president_vote="none")],
   attendance={"present": ids("a", 2, 9)}, proxies=[dict(giver="a01", holder="a02")],
   txt=K01 + caq(9) + "\n"
       f"[q1] {tie(4, 4, 1, 'XI', casting(True, False, False, False, None))}\n"
       f"[q2] {tie(4, 4, 1, 'XI', casting(True, False, False, False, 'none'))}",
   en=K01EN + caqen(9) + "\n"
       f"[q1] {tie(4, 4, 1, 'XI', 'absent', en=True)}\n[q2] {tie(4, 4, 1, 'XI', 'absent', en=True)}")
# Nobody on the roll is president: no casting vote, whether counted by totals or by name.
sc("animt/ca-casting-no-president.yaml", P, "ca", CAM, ca,
   [motion("q1", "ordinary", 4, 4, 1),
    dict(id="q2", kind="motion", decision="ordinary", on_agenda=True,
         open_votes=ovm(ids("a", 1, 4), ids("a", 5, 8), ["a09"]))],
   attendance=ca5,
   txt=K01 + caq(9) + "\n"
       f"[q1] {tie(4, 4, 1, 'XI', casting(False, True, True, False, None))}\n"
       f"[q2] {tie(4, 4, 1, 'XI', casting(False, True, True, False, 'pour'))}",
   en=K01EN + caqen(9) + "\n"
       f"[q1] {tie(4, 4, 1, 'XI', 'no_president', en=True)}\n[q2] {tie(4, 4, 1, 'XI', 'no_president', en=True)}")
# A secret ballot (a CA member's objection, XI al. 2): the President's vote is unknown, the
# profile reads the tie as a rejection (casting_vote_secret: tie_rejects). The President
# recused on the decision has no voice on it, so no casting vote either.
sc("animt/ca-casting-secret.yaml", P, "ca", CAM, caP,
   [motion("q1", "ordinary", 4, 4, 1, secret={"objection": True}),
    motion("q2", "ordinary", 4, 4, 0, recused=["a01"]),
    motion("q3", "ordinary", 5, 4, 0, secret={"objection": True})],
   attendance=ca5,
   txt=K01 + caq(9) + "\n"
       f"[q1] {E}{tie(4, 4, 1, 'XI', casting(True, True, True, True, None))}\n"
       f"[q2] {tie(4, 4, 0, 'XI', casting(True, True, False, False, None))} Voix de a01 non comptée (récusé).\n"
       f"[q3] {E}{rel(5, 4, 0)}",
   en=K01EN + caqen(9) + "\n"
       f"[q1] Secret ballot. {tie(4, 4, 1, 'XI', 'secret', en=True)}\n"
       f"[q2] {tie(4, 4, 0, 'XI', 'no_voice', en=True)} Voice of a01 not counted (recused).\n"
       f"[q3] Secret ballot. {relen(5, 4, 0)}")
sc("animt/ca-casting-on-absolute-invalid.yaml", P, "ca", CAM, caP,
   [motion("q1", "radiation", 4, 4, 1, president_vote="pour")], attendance=ca5,
   err="scrutin count: tests/scenarios/animt/ca-casting-on-absolute-invalid.yaml:LINE: question « q1 » : president_vote est donné, mais la règle « radiation » ne prévoit pas de voix prépondérante",
   err_en="scrutin count: tests/scenarios/animt/ca-casting-on-absolute-invalid.yaml:LINE: question 'q1': president_vote is given but rule 'radiation' has no casting vote")
sc("animt/ca-casting-secret-vote-invalid.yaml", P, "ca", CAM, caP,
   [motion("q1", "ordinary", 4, 4, 1, secret={"objection": True}, president_vote="pour")], attendance=ca5,
   err="scrutin count: tests/scenarios/animt/ca-casting-secret-vote-invalid.yaml:LINE: question « q1 » : president_vote est donné pour un vote à bulletin secret, qui le garde inconnu (casting_vote_secret: tie_rejects, art. XI)",
   err_en="scrutin count: tests/scenarios/animt/ca-casting-secret-vote-invalid.yaml:LINE: question 'q1': president_vote is given for a secret ballot, which keeps it unknown (casting_vote_secret: tie_rejects, art. XI)")
sc("animt/ca-casting-absent-vote-invalid.yaml", P, "ca", CAM, caP,
   [motion("q1", "ordinary", 4, 4, 0, president_vote="contre")], attendance={"present": ids("a", 2, 9)},
   err="scrutin count: tests/scenarios/animt/ca-casting-absent-vote-invalid.yaml:LINE: question « q1 » : president_vote vaut « contre », mais la voix du président « a01 » ne s'exprime pas à la réunion sur cette question",
   err_en="scrutin count: tests/scenarios/animt/ca-casting-absent-vote-invalid.yaml:LINE: question 'q1': president_vote is 'contre' but the voice of the president 'a01' is not cast at the meeting on this question")
sc("animt/ca-casting-vote-not-counted-invalid.yaml", P, "ca", CAM, caP,
   [motion("q1", "ordinary", 0, 4, 5, president_vote="pour")], attendance=ca5,
   err="scrutin count: tests/scenarios/animt/ca-casting-vote-not-counted-invalid.yaml:LINE: question « q1 » : le président a voté pour, et les totaux ne comptent aucun vote de ce sens",
   err_en="scrutin count: tests/scenarios/animt/ca-casting-vote-not-counted-invalid.yaml:LINE: question 'q1': the president voted pour, and the totals count no such vote")
# Recusal (XI): a member without a vote on a decision cannot hold a proxy for it.
sc("animt/ca-recusal.yaml", P, "ca", CAM, ca,
   [motion("q1", "radiation", 3, 2, 0, recused=["a01"]), motion("q2", "defiance", 4, 2, 0)],
   attendance={"present": ids("a", 1, 6)}, proxies=[dict(giver="a07", holder="a01"), dict(giver="a08", holder="a02")],
   # present 6 + 2 represented = 8 members (>= 5). q1: a01 and a07 out -> 6 voices; expressed 5 -> more than 2.5 -> 3.
   txt="k01 : pas de voix délibérative (voix consultative seulement).\n" + caq(8) + "\n"
       "[q1] Motion adoptée à la majorité absolue : 3 voix pour sur 5 suffrages exprimés (seuil : 3). Voix de a01 non comptée (récusé). Voix de a07 non comptée (mandataire récusé).\n"
       "[q2] Vote à bulletin secret. Motion adoptée à la majorité absolue : 4 voix pour sur 6 suffrages exprimés (seuil : 4).")
# Bureau (XI): absolute majority, secret; round 2 when nobody has it. XI
# al. 1 says nothing of a second round: the sentence cites it for the
# majority only, and the CA may decide one (the profile's reading).
bu = lambda qid, rnd, cands, valid: dict(id=qid, kind="election", election="bureau", post="Président", seats=1, round=rnd,
                                         ballots={"valid": valid}, candidates=cands)
sc("animt/ca-bureau-rounds.yaml", P, "ca", CAM, ca,
   [bu("e1", 1, [cand("a01", 5), cand("a02", 4)], 9), bu("e2", 1, [cand("a01", 4), cand("a02", 4)], 8),
    bu("e3", 2, [cand("a01", 4), cand("a02", 3)], 8)],
   attendance=ca5,
   txt="k01 : pas de voix délibérative (voix consultative seulement).\n" + caq(9) + "\n"
       "[e1] Vote à bulletin secret. Élu(e) (Président) : a01 (5 voix), sur 9 bulletins valables (seuil : 5).\n"
       "[e2] Vote à bulletin secret. Président : aucun candidat n'obtient la majorité absolue (seuil : 5 sur 8 bulletins valables, art. XI al. 1). "
       "Le règlement ne prévoit pas de second tour : le conseil d'administration peut en décider un, à la majorité relative.\n"
       "[e3] Vote à bulletin secret. Élu(e) (Président) : a01 (4 voix), sur 8 bulletins valables.",
   en="k01: no deliberative vote (consultative voice only).\n"
      "Quorum reached: 9 members present, remote or represented out of 10 (threshold: 5, art. XI).\n"
      "[e1] Secret ballot. Elected (Président): a01 (5 votes), out of 9 valid ballots (threshold: 5).\n"
      "[e2] Secret ballot. Président: no candidate has an absolute majority (threshold: 5 of 8 valid ballots, art. XI al. 1). "
      "The rules provide no second round: the board may decide to hold one, by relative majority.\n"
      "[e3] Secret ballot. Elected (Président): a01 (4 votes), out of 8 valid ballots.")

# =====================================================================
# A-IMI
# =====================================================================
P = "a-imi"
LABEL = "majorité simple"
AG = {"date": D, "convocation": "first"}
ai = members("a", 20, "adherent") + members("s", 4, "sympathisant")
def aq(n, base=20, extra=""):
    req = -(-base // 4)
    ok = n >= req
    s = f"Quorum {'atteint' if ok else 'non atteint'} : {n} {pl(n, 'membre présent ou représenté', 'membres présents ou représentés')} sur {base} (seuil : {req}, art. 9)."
    if not ok:
        s += (" L'assemblée générale ne peut pas délibérer. Elle sera de nouveau convoquée dans les trois mois"
              " et délibérera alors sans condition de quorum (art. 9).")
    return s
SY = "".join(f"s{i:02d} : pas de voix délibérative (voix consultative seulement).\n" for i in range(1, 5))
sc("a-imi/ag-quorum-exact.yaml", P, "ag", AG, ai, [motion("q1", "ordinary", 3, 2, 0)],
   attendance={"present": ids("a", 1, 5) + ids("s", 1, 4)}, txt=f"{SY}{aq(5)}\n[q1] {rel(3, 2, 0)}")
sc("a-imi/ag-quorum-one-under.yaml", P, "ag", AG, ai, [motion("q1", "ordinary", 3, 1, 0)],
   attendance={"present": ids("a", 1, 4) + ids("s", 1, 4)},
   txt=f"{SY}{aq(4)}\n[q1] Pas de décision : le quorum n'est pas atteint.")
sc("a-imi/ag-quorum-represented.yaml", P, "ag", AG, ai, [motion("q1", "ordinary", 3, 1, 0)],
   attendance={"present": ids("a", 1, 3)}, proxies=[dict(giver="a04", holder="a01"), dict(giver="a05", holder="a02")],
   txt=f"{SY}{aq(5)}\n[q1] {rel(3, 1, 0)}")
# 21 active members: a quarter is 5.25 -> at least 6.
ai21 = members("a", 21, "adherent")
sc("a-imi/ag-quorum-rounding.yaml", P, "ag", AG, ai21, [motion("q1", "ordinary", 3, 2, 0)],
   attendance={"present": ids("a", 1, 5)}, txt=f"{aq(5, 21)}\n[q1] Pas de décision : le quorum n'est pas atteint.")
sc("a-imi/ag-second-convocation.yaml", P, "ag", {"date": D, "convocation": "second"}, ai,
   [motion("q1", "ordinary", 1, 0, 0)], attendance={"present": ["a01"]},
   txt=f"{SY}Seconde convocation : l'assemblée générale délibère quel que soit le nombre de membres présents ou représentés (art. 9).\n[q1] {rel(1, 0, 0)}")
# Proxies (9): 3 besides one's own; unlimited to the CA through its president.
roll = [dict(id="p01", category="adherent", dues_paid=True, roles=["president"])] + members("a", 12, "adherent")
px = [dict(giver=g, holder="a01") for g in ("a03", "a04", "a05", "a06")] + \
     [dict(giver=g, holder="@ca") for g in ("a07", "a08", "a09", "a10", "a11")]
sc("a-imi/ag-proxies-ca.yaml", P, "ag", AG, roll, [motion("q1", "ordinary", 7, 3, 0)],
   attendance={"present": ["p01", "a01", "a02"]}, proxies=px,
   # present 3 + a03..a05 (3) + 5 to the CA = 11 of 13 members.
   txt="Procuration de a06 refusée (au-delà du plafond).\n" + aq(11, 13) + f"\n[q1] {rel(7, 3, 0)}")
# Secret ballot if a third of present active members ask (9): 9 present -> 3.
sc("a-imi/ag-secret-third.yaml", P, "ag", AG, ai,
   [motion("q1", "ordinary", 5, 3, 1, secret={"askers": 3}), motion("q2", "ordinary", 5, 3, 1, secret={"askers": 2}),
    motion("q3", "ordinary", 5, 3, 1, secret={"objection": True})],
   attendance={"present": ids("a", 1, 9)}, proxies=[dict(giver="a10", holder="a01")],
   txt=f"{aq(10)}\n[q1] Vote à bulletin secret. {rel(5, 3, 1)}\n[q2] {rel(5, 3, 1)}\n[q3] {rel(5, 3, 1)}".replace(aq(10), SY.rstrip() + "\n" + aq(10)))
# Agenda additions (9): a positive vote of a quarter of present or represented: 20 voices -> 5.
sc("a-imi/ag-agenda-addition.yaml", P, "ag", AG, ai,
   [motion("q1", "agenda_addition", 5, 12, 3, on_agenda=False), motion("q2", "agenda_addition", 4, 12, 4, on_agenda=False),
    motion("q3", "agenda_addition", 0, 0, 0, on_agenda=False)],
   attendance={"present": ids("a", 1, 20)},
   txt=f"{SY}{aq(20)}\n"
       "[q1] Motion adoptée à la majorité du quart : 5 voix pour sur 20 membres présents ou représentés (seuil : 5).\n"
       "[q2] Motion rejetée : 4 voix pour sur 20 membres présents ou représentés ; la majorité du quart demandait 5.\n"
       "[q3] Motion rejetée : 0 voix pour sur 20 membres présents ou représentés ; la majorité du quart demandait 5.")
sc("a-imi/ag-ordinary-off-agenda-invalid.yaml", P, "ag", AG, ai, [motion("q1", "ordinary", 5, 0, 0, on_agenda=False)],
   attendance={"present": ids("a", 1, 20)},
   err="scrutin count: tests/scenarios/a-imi/ag-ordinary-off-agenda-invalid.yaml:LINE: question « q1 » : une décision « ordinary » ne peut pas être prise sur une question hors de l'ordre du jour (art. 9)",
   err_en="scrutin count: tests/scenarios/a-imi/ag-ordinary-off-agenda-invalid.yaml:LINE: question 'q1': a 'ordinary' decision cannot be taken on a question off the agenda (art. 9)")
sc("a-imi/ag-simple-majority.yaml", P, "ag", AG, ai,
   [motion("q1", "ordinary", 5, 5, 0), motion("q2", "ordinary", 6, 5, 9), motion("q3", "ordinary", 5, 6, 0)],
   attendance={"present": ids("a", 1, 20)},
   txt=f"{SY}{aq(20)}\n[q1] {rel(5, 5, 0)}\n[q2] {rel(6, 5, 9)}\n[q3] {rel(5, 6, 0)}")
# CA elected at the AG (11): secret, the most votes win.
dec = dict(declared="2024-05-26")
roll = [dict(id=f"c{i:02d}", category="adherent", dues_paid=True, **dec) for i in range(1, 6)] + members("a", 15, "adherent")
ce = lambda qid, seats, cands, valid: dict(id=qid, kind="election", election="ca", seats=seats,
                                           ballots={"valid": valid}, candidates=cands)
sc("a-imi/ag-ca-election.yaml", P, "ag", AG, roll,
   [ce("e1", 3, [cand("c01", 10), cand("c02", 8), cand("c03", 8), cand("c04", 7)], 12),
    ce("e2", 3, [cand("c01", 10), cand("c02", 8), cand("c03", 7), cand("c04", 7)], 12),
    ce("e3", 3, [cand("c01", 10), cand("c02", 0)], 12)],
   attendance={"present": ids("a", 1, 15)},
   txt=aq(15) + "\n"
       "[e1] Vote à bulletin secret. Élus (Conseil d'administration) : c01 (10 voix), c02 (8 voix), c03 (8 voix), sur 12 bulletins valables.\n"
       "[e2] Vote à bulletin secret. Conseil d'administration : égalité non départagée entre c03 (7 voix), c04 (7 voix) ; le règlement ne départage pas, le vote doit être repris. Déjà élus : c01 (10 voix), c02 (8 voix).\n"
       "[e3] Vote à bulletin secret. Élus (Conseil d'administration) : c01 (10 voix), sur 12 bulletins valables. 2 sièges non pourvus.")
# Candidacy 20 days before the AGO at the latest (11): 2024-05-26 is 20 days before 2024-06-15.
roll2 = [dict(id="c01", category="adherent", dues_paid=True, declared="2024-05-27")] + members("a", 4, "adherent")
sc("a-imi/ag-candidate-late-invalid.yaml", P, "ag", AG, roll2, [ce("e1", 1, [cand("c01", 2)], 3)],
   attendance={"present": ids("a", 1, 4)},
   err="scrutin count: tests/scenarios/a-imi/ag-candidate-late-invalid.yaml:LINE: question « e1 » : le candidat « c01 » n'est pas éligible : candidature déclarée trop tard (art. 11)",
   err_en="scrutin count: tests/scenarios/a-imi/ag-candidate-late-invalid.yaml:LINE: question 'e1': candidate 'c01' is not eligible: candidacy declared too late (art. 11)",
   at="{id: c01, votes")
roll3 = [dict(id="c01", category="sympathisant", dues_paid=True, declared="2024-05-01")] + members("a", 4, "adherent")
sc("a-imi/ag-candidate-sympathisant-invalid.yaml", P, "ag", AG, roll3, [ce("e1", 1, [cand("c01", 2)], 3)],
   attendance={"present": ids("a", 1, 4)},
   err="scrutin count: tests/scenarios/a-imi/ag-candidate-sympathisant-invalid.yaml:LINE: question « e1 » : le candidat « c01 » n'est pas éligible : sa catégorie n'est pas éligible (art. 1, 9)",
   err_en="scrutin count: tests/scenarios/a-imi/ag-candidate-sympathisant-invalid.yaml:LINE: question 'e1': candidate 'c01' is not eligible: their category is not eligible (art. 1, 9)",
   at="{id: c01, votes")
# Random draw of a third of the administrators (9): floor(9/3) = 3; floor(10/3) = 3.
pool9 = ids("a", 1, 9)
pool10 = ids("a", 1, 10)
d9 = draw(pool9, 3, 20090101)
d10 = draw(pool10, 3, 20100101)
sc("a-imi/ag-draw-third.yaml", P, "ag", AG, ai,
   [dict(id="d1", kind="draw", draw="renewal_third", pool=pool9, seed=20090101),
    dict(id="d2", kind="draw", draw="renewal_third", pool=pool10, seed=20100101),
    dict(id="d3", kind="draw", draw="renewal_third", pool=["a01", "a02"], seed=1)],
   attendance={"present": ids("a", 1, 20)},
   txt=f"{SY}{aq(20)}\n[d1] Tirage au sort (tiers des administrateurs à renouveler) : 3 sur 9 : {', '.join(d9)}"
       f" (graine 20090101, tirage parmi {', '.join(pool9)}).\n"
       f"[d2] Tirage au sort (tiers des administrateurs à renouveler) : 3 sur 10 : {', '.join(d10)}"
       f" (graine 20100101, tirage parmi {', '.join(pool10)}).\n"
       "[d3] Tirage au sort (tiers des administrateurs à renouveler) : 0 sur 2 : personne (graine 1, tirage parmi a01, a02).")
# Bureau (12): president first under the eldest, then the others under the new president; secret unless all want hands.
cab = [dict(id="b01", category="administrateur", birth="1950-03-01", declared="2024-06-01"),
       dict(id="b02", category="administrateur", birth="1960-01-01", declared="2024-06-01"),
       dict(id="b03", category="administrateur", birth="1945-07-14"),
       dict(id="b04", category="administrateur", birth="1970-01-01", declared="2024-06-01")]
CAQ = {"date": D, "convocation": "first", "quorum": "none"}
be = lambda qid, post, pres, cands, valid, **kw: dict(id=qid, kind="election", election="bureau", post=post,
                                                     president_post=pres, seats=1, ballots={"valid": valid},
                                                     candidates=cands, **kw)
sc("a-imi/ca-bureau-sequence.yaml", P, "ca", CAQ, cab,
   [be("e1", "Président", True, [cand("b01", 3), cand("b02", 1)], 4),
    be("e2", "Trésorier", False, [cand("b04", 4)], 4, secret={"unanimous_show_of_hands": True})],
   attendance={"present": ["b01", "b02", "b03", "b04"]},
   txt="Aucun quorum n'est requis (fixé pour cette réunion).\n"
       "[e1] Vote à bulletin secret. Scrutin présidé par le doyen d'âge : b03. Élu(e) (Président) : b01 (3 voix), sur 4 bulletins valables.\n"
       "[e2] Scrutin présidé par le président élu : b01. Élu(e) (Trésorier) : b04 (4 voix), sur 4 suffrages exprimés.")
# « sauf si tous les administrateurs souhaitent explicitement un vote à main levée » (12):
# unanimous_show_of_hands says every administrator present asked; the engine checks
# that every administrator with a vote is present. One absent (or represented: not
# present) -> no unanimity, the vote stays secret and the sentence says who is missing;
# all present and asking -> a show of hands, votes by name accepted.
WU = {"unanimous_show_of_hands": True}
NOU = "Pas de renonciation unanime au scrutin secret : b04 absent (art. 12). "
sc("a-imi/ca-bureau-unanimity-absent.yaml", P, "ca", CAQ, cab,
   [be("e1", "Président", True, [cand("b01", 2), cand("b02", 1)], 3, secret=WU)],
   attendance={"present": ["b01", "b02", "b03"]},
   txt="Aucun quorum n'est requis (fixé pour cette réunion).\n"
       f"[e1] Vote à bulletin secret. {NOU}Scrutin présidé par le doyen d'âge : b03. Élu(e) (Président) : b01 (2 voix), sur 3 bulletins valables.",
   en="No quorum is required (set for this meeting).\n"
      "[e1] Secret ballot. No unanimous waiver of the secret ballot: b04 absent (art. 12). "
      "Vote presided by the eldest member: b03. Elected (Président): b01 (2 votes), out of 3 valid ballots.")
sc("a-imi/ca-bureau-unanimity-represented.yaml", P, "ca", CAQ, cab,
   [be("e1", "Président", True, [cand("b01", 3), cand("b02", 1)], 4, secret=WU)],
   attendance={"present": ["b01", "b02", "b03"]}, proxies=[dict(giver="b04", holder="b02")],
   txt="Aucun quorum n'est requis (fixé pour cette réunion).\n"
       f"[e1] Vote à bulletin secret. {NOU}Scrutin présidé par le doyen d'âge : b03. Élu(e) (Président) : b01 (3 voix), sur 4 bulletins valables.")
bov = lambda qid, post, pairs: dict(id=qid, kind="election", election="bureau", post=post, seats=1,
                                    candidates=[{"id": c} for c in dict.fromkeys(c for _, c in pairs)], secret=WU,
                                    open_votes=[{"voice": v, "choice": c} for v, c in pairs])
sc("a-imi/ca-bureau-unanimity-absent-open-invalid.yaml", P, "ca", CAQ, cab,
   [be("e1", "Président", True, [cand("b01", 2), cand("b02", 1)], 3),
    bov("e2", "Trésorier", [("b01", "b04"), ("b02", "b04"), ("b03", "b04")])],
   attendance={"present": ["b01", "b02", "b03"]},
   err="scrutin count: tests/scenarios/a-imi/ca-bureau-unanimity-absent-open-invalid.yaml:LINE: question « e2 » : des votes nominatifs pour un vote qui doit être secret",
   err_en="scrutin count: tests/scenarios/a-imi/ca-bureau-unanimity-absent-open-invalid.yaml:LINE: question 'e2': named open votes for a vote that must be secret")
sc("a-imi/ca-bureau-unanimity-all-present.yaml", P, "ca", CAQ, cab,
   [be("e1", "Président", True, [cand("b01", 3), cand("b02", 1)], 4),
    bov("e2", "Trésorier", [("b01", "b04"), ("b02", "b04"), ("b03", "b04"), ("b04", "b04")])],
   attendance={"present": ["b01", "b02", "b03", "b04"]},
   txt="Aucun quorum n'est requis (fixé pour cette réunion).\n"
       "[e1] Vote à bulletin secret. Scrutin présidé par le doyen d'âge : b03. Élu(e) (Président) : b01 (3 voix), sur 4 bulletins valables.\n"
       "[e2] Scrutin présidé par le président élu : b01. Élu(e) (Trésorier) : b04 (4 voix), sur 4 suffrages exprimés.")
sc("a-imi/ca-bureau-order-invalid.yaml", P, "ca", CAQ, cab,
   [be("e1", "Trésorier", False, [cand("b04", 4)], 4)], attendance={"present": ["b01", "b02", "b03", "b04"]},
   err="scrutin count: tests/scenarios/a-imi/ca-bureau-order-invalid.yaml:LINE: question « e1 » : le président doit être élu en premier, sous la présidence du doyen d'âge (art. 12)",
   err_en="scrutin count: tests/scenarios/a-imi/ca-bureau-order-invalid.yaml:LINE: question 'e1': the president must be elected first, under the eldest (art. 12)")
sc("a-imi/ca-proxy-one-mandate.yaml", P, "ca", CAQ, cab,
   [be("e1", "Président", True, [cand("b01", 2), cand("b02", 1)], 3)],
   attendance={"present": ["b01", "b03"]}, proxies=[dict(giver="b02", holder="b01"), dict(giver="b04", holder="b01")],
   txt="Procuration de b04 refusée (au-delà du plafond).\nAucun quorum n'est requis (fixé pour cette réunion).\n"
       "[e1] Vote à bulletin secret. Scrutin présidé par le doyen d'âge : b03. Élu(e) (Président) : b01 (2 voix), sur 3 bulletins valables.")

# =====================================================================
# A.PRO.GE.ME.RE
# =====================================================================
P = "aprogemere"
LABEL = "majorité relative"
APM = {"date": D, "convocation": "first", "convocation_date": "2024-06-10"}
def act(i, **kw):
    d = dict(id=i, category="actif", dues_paid=True, registered="2020-01-01")
    d.update(kw)
    return d
def apq(n, base, ok=None):
    req = -(-base // 4)
    met = n >= req
    s = (f"Quorum {'atteint' if met else 'non atteint'} : {n} {pl(n, 'membre présent', 'membres présents')}, à distance, "
         f"ayant voté par correspondance ou ayant voté par internet sur {base} (seuil : {req}, art. II).")
    if not met:
        s += (" L'assemblée générale ne peut pas délibérer. Elle sera de nouveau convoquée dans le mois suivant"
              " et délibérera alors sans condition de quorum (art. II).")
    return s
def apqen(n, base):
    return (f"Quorum reached: {n} members present, remote, voting by mail or voting online out of {base} "
            f"(threshold: {-(-base // 4)}, art. II).")
# Roll frozen at the convocation: registered by the last day of the previous month (2024-05-31).
roll = [act(f"m{i:02d}") for i in range(1, 9)] + [act("x01", registered="2024-05-31"), act("x02", registered="2024-06-01"),
        act("n01", birth="2010-01-01"), dict(id="h01", category="honneur"), dict(id="s01", category="associe", dues_paid=True)]
sc("aprogemere/ag-roll-freeze-minors.yaml", P, "ag", APM, roll,
   [motion("q1", "resolution", 2, 1, 0)], attendance={"present": ["m01", "x01", "n01", "h01", "s01"]},
   txt="x02 : pas de voix délibérative (inscrit après l'arrêt de la liste).\n"
       "h01 : pas de voix délibérative (voix consultative seulement).\n"
       "s01 : pas de voix délibérative (voix consultative seulement).\n"
       f"{apq(3, 10)}\n[q1] {rel(2, 1, 0)}")
sc("aprogemere/ag-roll-freeze-missing-date-invalid.yaml", P, "ag", {"date": D, "convocation": "first"}, roll,
   [motion("q1", "resolution", 2, 1, 0)], attendance={"present": ["m01"]},
   err="scrutin count: tests/scenarios/aprogemere/ag-roll-freeze-missing-date-invalid.yaml: meeting.convocation_date doit être indiquée pour arrêter la liste des votants (art. II (AG 2012 et 2014))",
   err_en="scrutin count: tests/scenarios/aprogemere/ag-roll-freeze-missing-date-invalid.yaml: meeting.convocation_date is needed to freeze the roll (art. II (AG 2012 et 2014))")
# Quorum: a quarter of active members present or voting by internet or mail; proxies do not count.
r20 = [act(f"m{i:02d}") for i in range(1, 21)]
sc("aprogemere/ag-quorum-mail-internet.yaml", P, "ag", APM, r20, [motion("q1", "resolution", 3, 2, 0)],
   attendance={"present": ["m01", "m02"]}, mail_in=[dict(voter="m03"), dict(voter="m04")], internet=["m05"],
   txt=f"{apq(5, 20)}\n[q1] {rel(3, 2, 0)}")
sc("aprogemere/ag-quorum-proxies-not-counted.yaml", P, "ag", APM, r20, [motion("q1", "resolution", 3, 2, 0)],
   attendance={"present": ["m01", "m02", "m03", "m04"]},
   proxies=[dict(giver="m05", holder="m01"), dict(giver="m06", holder="m01"), dict(giver="m07", holder="m02")],
   txt=f"{apq(4, 20)}\n[q1] Pas de décision : le quorum n'est pas atteint.")
sc("aprogemere/ag-second-convocation.yaml", P, "ag", dict(APM, convocation="second"), r20,
   [motion("q1", "resolution", 1, 0, 0)], attendance={"present": ["m01"]},
   txt=f"Seconde convocation : l'assemblée générale délibère quel que soit le nombre de membres présents ou représentés (art. II).\n[q1] {rel(1, 0, 0)}")
# Proxies: 5 per member; the president receives any number and redistributes within 5.
roll = [act("p01", roles=["president"])] + [act(f"m{i:02d}") for i in range(2, 7)] + \
       [act(f"k{i:02d}") for i in range(1, 6)] + [act(f"g{i:02d}") for i in range(1, 11)]
px = [dict(giver=f"k{i:02d}", holder="m03") for i in range(1, 6)]
px += [dict(giver=f"g{i:02d}", holder="p01", redistribute_to="m02") for i in range(1, 4)]
px += [dict(giver="g04", holder="p01", redistribute_to="m03")]
px += [dict(giver=f"g{i:02d}", holder="p01") for i in range(5, 11)]
# present 6 + k01-k05 (5) + g01-g03 (3) + g05-g09 kept (5) = 19 voices; quorum counts the 6 present of 21 (seuil 6).
sc("aprogemere/ag-president-redistributes.yaml", P, "ag", APM, roll, [motion("q1", "resolution", 10, 5, 4)],
   attendance={"present": ["p01", "m02", "m03", "m04", "m05", "m06"]}, proxies=px,
   txt="Procuration de g01 redistribuée par le président à m02.\nProcuration de g02 redistribuée par le président à m02.\n"
       "Procuration de g03 redistribuée par le président à m02.\nProcuration de g04 refusée (plafond du destinataire atteint).\n"
       f"Procuration de g10 refusée (non redistribuée par le président).\n{apq(6, 21)}\n[q1] {rel(10, 5, 4)}")
sc("aprogemere/ag-president-too-many-votes-invalid.yaml", P, "ag", APM, roll, [motion("q1", "resolution", 10, 5, 5)],
   attendance={"present": ["p01", "m02", "m03", "m04", "m05", "m06"]}, proxies=px,
   err="scrutin count: tests/scenarios/aprogemere/ag-president-too-many-votes-invalid.yaml:LINE: question « q1 » : 20 voix, mais 19 seulement peuvent s'exprimer",
   err_en="scrutin count: tests/scenarios/aprogemere/ag-president-too-many-votes-invalid.yaml:LINE: question 'q1': 20 votes but only 19 voices can be cast")
sc("aprogemere/ag-cap-five.yaml", P, "ag", APM, r20, [motion("q1", "resolution", 3, 2, 0)],
   attendance={"present": ["m01", "m02", "m03", "m04", "m05"]},
   proxies=[dict(giver=f"m{i:02d}", holder="m01") for i in range(6, 12)],
   txt=f"Procuration de m11 refusée (au-delà du plafond).\n{apq(5, 20)}\n[q1] {rel(3, 2, 0)}")
# The president's casting vote (II): the president of the association (roles: president),
# there and voting; the tie goes the way he voted, otherwise it rejects (casting() above).
rP = [act("m01", roles=["president"])] + [act(f"m{i:02d}") for i in range(2, 21)]
sc("aprogemere/ag-casting-vote.yaml", P, "ag", APM, rP,
   [motion("q1", "resolution", 4, 4, 1, president_vote="contre"), motion("q2", "resolution", 4, 4, 1),
    motion("q3", "resolution", 5, 4, 0), motion("q4", "resolution", 4, 4, 1, president_vote="pour")],
   attendance={"present": ids("m", 1, 9)},
   txt=f"{apq(9, 20)}\n"
       f"[q1] {tie(4, 4, 1, 'II', casting(True, True, True, False, 'contre'))}\n"
       f"[q2] {tie(4, 4, 1, 'II', casting(True, True, True, False, None))}\n"
       f"[q3] {rel(5, 4, 0)}\n"
       f"[q4] {tie(4, 4, 1, 'II', casting(True, True, True, False, 'pour'))}",
   en=f"{apqen(9, 20)}\n[q1] {tie(4, 4, 1, 'II', 'contre', en=True)}\n[q2] {tie(4, 4, 1, 'II', 'needed', en=True)}\n"
      f"[q3] {relen(5, 4, 0)}\n[q4] {tie(4, 4, 1, 'II', 'pour', en=True)}")
# Named show of hands, resolutions and voeux alike.
sc("aprogemere/ag-casting-open-votes.yaml", P, "ag", APM, rP,
   open_ties("resolution", "m") +
   [dict(id="q5", kind="motion", decision="voeu", on_agenda=False,
         open_votes=ovm(["m01", "m02"], ["m03", "m04"], []))],
   attendance={"present": ids("m", 1, 9)},
   txt=f"{apq(9, 20)}\n"
       f"[q1] {tie(4, 4, 1, 'II', casting(True, True, True, False, 'contre'))}\n"
       f"[q2] {tie(4, 4, 1, 'II', casting(True, True, True, False, 'pour'))}\n"
       f"[q3] {tie(4, 4, 1, 'II', casting(True, True, True, False, 'abstention'))}\n"
       f"[q4] {tie(4, 4, 0, 'II', casting(True, True, True, False, 'none'))}\n"
       f"[q5] {tie(2, 2, 0, 'II', casting(True, True, True, False, 'pour'))}",
   en=f"{apqen(9, 20)}\n[q1] {tie(4, 4, 1, 'II', 'contre', en=True)}\n[q2] {tie(4, 4, 1, 'II', 'pour', en=True)}\n"
      f"[q3] {tie(4, 4, 1, 'II', 'abstention', en=True)}\n[q4] {tie(4, 4, 0, 'II', 'none', en=True)}\n"
      f"[q5] {tie(2, 2, 0, 'II', 'pour', en=True)}")
# The president voted online before the meeting: he is not there, no casting vote.
sc("aprogemere/ag-casting-president-absent.yaml", P, "ag", APM, rP,
   [motion("q1", "resolution", 4, 4, 2)], attendance={"present": ids("m", 2, 10)}, internet=["m01"],
   txt=f"{apq(10, 20)}\n[q1] {tie(4, 4, 2, 'II', casting(True, False, False, False, None))}",
   en=f"{apqen(10, 20)}\n[q1] {tie(4, 4, 2, 'II', 'absent', en=True)}")
sc("aprogemere/ag-casting-no-president.yaml", P, "ag", APM, r20,
   [motion("q1", "resolution", 4, 4, 1), motion("q2", "voeu", 3, 3, 0, on_agenda=False)],
   attendance={"present": ids("m", 1, 9)},
   txt=f"{apq(9, 20)}\n[q1] {tie(4, 4, 1, 'II', casting(False, True, True, False, None))}\n"
       f"[q2] {tie(3, 3, 0, 'II', casting(False, True, True, False, None))}",
   en=f"{apqen(9, 20)}\n[q1] {tie(4, 4, 1, 'II', 'no_president', en=True)}\n[q2] {tie(3, 3, 0, 'II', 'no_president', en=True)}")
# A resolution held by secret ballot (held_secret: the statutes do not require it): the
# president's vote is unknown; the profile reads the tie as a rejection.
sc("aprogemere/ag-casting-secret.yaml", P, "ag", APM, rP,
   [motion("q1", "resolution", 4, 4, 1, held_secret=True), motion("q2", "resolution", 5, 4, 0, held_secret=True)],
   attendance={"present": ids("m", 1, 9)},
   txt=f"{apq(9, 20)}\n[q1] {tie(4, 4, 1, 'II', casting(True, True, True, True, None))}\n[q2] {rel(5, 4, 0)}",
   en=f"{apqen(9, 20)}\n[q1] {tie(4, 4, 1, 'II', 'secret', en=True)}\n[q2] {relen(5, 4, 0)}")
# The other reading a profile may take (casting_vote_secret: declared): the president
# declares openly how he voted, and the meeting records it (president_vote).
with open("ballot-formats/profiles/aprogemere.yaml") as f:
    APG = f.read()
assert APG.count("casting_vote_secret: tie_rejects\n") == 1
with open(f"{OUT}/aprogemere/ag-casting-secret-declared.profile.yaml", "w") as f:
    f.write(APG.replace("casting_vote_secret: tie_rejects\n", "casting_vote_secret: declared\n"))
sc("aprogemere/ag-casting-secret-declared.yaml", P, "ag", APM, rP,
   [motion("q1", "resolution", 4, 4, 1, held_secret=True, president_vote="pour"),
    motion("q2", "resolution", 4, 4, 1, held_secret=True),
    motion("q3", "resolution", 4, 4, 1, held_secret=True, president_vote="abstention")],
   attendance={"present": ids("m", 1, 9)},
   txt=f"{apq(9, 20)}\n[q1] {tie(4, 4, 1, 'II', 'pour')}\n[q2] {tie(4, 4, 1, 'II', 'declare')}\n"
       f"[q3] {tie(4, 4, 1, 'II', 'abstention')}",
   en=f"{apqen(9, 20)}\n[q1] {tie(4, 4, 1, 'II', 'pour', en=True)}\n[q2] {tie(4, 4, 1, 'II', 'declare', en=True)}\n"
      f"[q3] {tie(4, 4, 1, 'II', 'abstention', en=True)}")
sc("aprogemere/ag-casting-secret-vote-invalid.yaml", P, "ag", APM, rP,
   [motion("q1", "resolution", 4, 4, 1, held_secret=True, president_vote="contre")], attendance={"present": ids("m", 1, 9)},
   err="scrutin count: tests/scenarios/aprogemere/ag-casting-secret-vote-invalid.yaml:LINE: question « q1 » : president_vote est donné pour un vote à bulletin secret, qui le garde inconnu (casting_vote_secret: tie_rejects, art. II)",
   err_en="scrutin count: tests/scenarios/aprogemere/ag-casting-secret-vote-invalid.yaml:LINE: question 'q1': president_vote is given for a secret ballot, which keeps it unknown (casting_vote_secret: tie_rejects, art. II)")
sc("aprogemere/ag-casting-open-held-secret-invalid.yaml", P, "ag", APM, rP,
   [dict(id="q1", kind="motion", decision="resolution", on_agenda=True, held_secret=True,
         open_votes=ovm(["m01"], ["m02"], []))], attendance={"present": ids("m", 1, 9)},
   err="scrutin count: tests/scenarios/aprogemere/ag-casting-open-held-secret-invalid.yaml:LINE: question « q1 » : des votes nominatifs pour un vote qui s'est tenu à bulletin secret",
   err_en="scrutin count: tests/scenarios/aprogemere/ag-casting-open-held-secret-invalid.yaml:LINE: question 'q1': named open votes for a vote that was held secret")
sc("aprogemere/ag-casting-with-open-votes-invalid.yaml", P, "ag", APM, rP,
   [dict(id="q1", kind="motion", decision="resolution", on_agenda=True, president_vote="pour",
         open_votes=ovm(["m01"], ["m02"], []))], attendance={"present": ids("m", 1, 9)},
   err="scrutin count: tests/scenarios/aprogemere/ag-casting-with-open-votes-invalid.yaml:LINE: question « q1 » : president_vote est donné avec des votes nominatifs, qui le disent",
   err_en="scrutin count: tests/scenarios/aprogemere/ag-casting-with-open-votes-invalid.yaml:LINE: question 'q1': president_vote is given with named open votes, which tell it")
# Voeux: off-agenda questions, voted by active members present only.
VL = "majorité relative des membres actifs présents"
# II: a vœu is adopted (« Vœu adopté »), not a motion (the profile's subject).
NOT = " Voix de m06 non comptée (membres présents seulement). Voix de m07 non comptée (membres présents seulement)."
sc("aprogemere/ag-voeu-present-only.yaml", P, "ag", APM, r20,
   [motion("q1", "voeu", 3, 2, 0, on_agenda=False), motion("q2", "voeu", 2, 3, 0, on_agenda=False)],
   attendance={"present": ids("m", 1, 5)}, proxies=[dict(giver="m06", holder="m01")], mail_in=[dict(voter="m07")],
   txt=f"{apq(6, 20)}\n[q1] {rel(3, 2, 0, VL, 'Vœu', '')}{NOT}\n[q2] {rel(2, 3, 0, VL, 'Vœu', '')}{NOT}",
   en="Quorum reached: 6 members present, remote, voting by mail or voting online out of 20 (threshold: 5, art. II).\n"
      f"[q1] Wish adopted by {VL}: 3 for, 2 against, 0 abstentions. Voice of m06 not counted (members present only)."
      " Voice of m07 not counted (members present only).\n"
      f"[q2] Wish rejected: 2 for, 3 against, 0 abstentions ({VL} not reached). Voice of m06 not counted (members present only)."
      " Voice of m07 not counted (members present only).")
sc("aprogemere/ag-voeu-too-many-invalid.yaml", P, "ag", APM, r20,
   [motion("q1", "voeu", 4, 2, 0, on_agenda=False)],
   attendance={"present": ids("m", 1, 5)}, proxies=[dict(giver="m06", holder="m01")],
   err="scrutin count: tests/scenarios/aprogemere/ag-voeu-too-many-invalid.yaml:LINE: question « q1 » : 6 voix, mais 5 seulement peuvent s'exprimer",
   err_en="scrutin count: tests/scenarios/aprogemere/ag-voeu-too-many-invalid.yaml:LINE: question 'q1': 6 votes but only 5 voices can be cast")
sc("aprogemere/ag-resolution-off-agenda-invalid.yaml", P, "ag", APM, r20,
   [motion("q1", "resolution", 4, 2, 0, on_agenda=False)], attendance={"present": ids("m", 1, 9)},
   err="scrutin count: tests/scenarios/aprogemere/ag-resolution-off-agenda-invalid.yaml:LINE: question « q1 » : une décision « resolution » ne peut pas être prise sur une question hors de l'ordre du jour (art. II)",
   err_en="scrutin count: tests/scenarios/aprogemere/ag-resolution-off-agenda-invalid.yaml:LINE: question 'q1': a 'resolution' decision cannot be taken on a question off the agenda (art. II)")
# Administrators: 50 % of valid ballots each; unfilled seats co-opted by 2/3 of the CA (II-2),
# from the candidates not elected, best placed first: the board takes them in that order, one
# it does not co-opt leaving the seat to the next, so the list names them all.
# Not a secret ballot (III names the president's election only): the count
# is out of the votes cast (« suffrages exprimés »), no ballots named.
def coopt(others, en=False):
    """The cooptation list: others = [(name, votes)] not elected; grouped by equal votes."""
    groups = []
    for n, v in sorted(others, key=lambda x: -x[1]):
        if groups and groups[-1][1] == v:
            groups[-1][0].append(n)
        else:
            groups.append(([n], v))
    out = []
    for names, v in groups:
        joined = names[0] if len(names) == 1 else ", ".join(names[:-1]) + (" and " if en else " et ") + names[-1]
        if len(names) > 1:
            out.append(f"{joined} tied ({v} votes each)" if en else f"{joined} ex aequo ({v} voix chacun)")
        else:
            out.append(f"{joined} ({v} {'vote' if v == 1 else 'votes'})" if en else f"{joined} ({v} voix)")
    sep = ", then " if en else ", puis "
    if en:
        return f"The board may co-opt (2/3 of its members, art. II-2), in order of votes: {sep.join(out)}."
    return f"Cooptation possible par le conseil d'administration (2/3 de ses membres, art. II-2), dans l'ordre des voix obtenues : {sep.join(out)}."
cands = [act(f"c{i:02d}", birth="1970-01-01", declared="2024-05-01") for i in range(1, 5)]
roll = cands + [act(f"m{i:02d}") for i in range(1, 22)]
ael = lambda qid, seats, cc, valid: dict(id=qid, kind="election", election="ca", seats=seats, ballots={"valid": valid},
                                          candidates=cc)
sc("aprogemere/ag-ca-election-threshold.yaml", P, "ag", APM, roll,
   [ael("e1", 3, [cand("c01", 12), cand("c02", 10), cand("c03", 9), cand("c04", 5)], 20),
    ael("e2", 3, [cand("c01", 11), cand("c02", 10), cand("c03", 9), cand("c04", 5)], 21),
    ael("e3", 2, [cand("c01", 10), cand("c02", 9), cand("c03", 9)], 21),
    ael("e4", 2, [cand("c01", 15), cand("c02", 14), cand("c03", 11)], 20)],
   attendance={"present": ids("m", 1, 21)},
   txt=f"{apq(21, 25)}\n"
       "[e1] Élus (Administrateurs) : c01 (12 voix), c02 (10 voix), sur 20 suffrages exprimés (seuil : 10). 1 siège non pourvu. "
       f"{coopt([('c03', 9), ('c04', 5)])}\n"
       "[e2] Élus (Administrateurs) : c01 (11 voix), sur 21 suffrages exprimés (seuil : 11). 2 sièges non pourvus. "
       f"{coopt([('c02', 10), ('c03', 9), ('c04', 5)])}\n"
       "[e3] Administrateurs : aucun candidat élu (seuil : 11 sur 21 suffrages exprimés). 2 sièges non pourvus. "
       f"{coopt([('c01', 10), ('c02', 9), ('c03', 9)])}\n"
       "[e4] Élus (Administrateurs) : c01 (15 voix), c02 (14 voix), sur 20 suffrages exprimés (seuil : 10).")
# 3 seats, 60 votes cast (threshold 30): A 40 and B 35 elected, one seat unfilled; the list
# is C then D, not C alone. Equal votes share a place; a candidate without a vote comes last.
nm = {"c01": "Anne", "c02": "Bruno", "c03": "Claire", "c04": "Denis"}
rollc = [act(i, name=n, birth="1970-01-01", declared="2024-05-01") for i, n in nm.items()] + \
        [act(f"m{i:02d}") for i in range(1, 61)]
sc("aprogemere/ag-ca-election-cooptation-order.yaml", P, "ag", APM, rollc,
   [ael("e1", 3, [cand("c01", 40), cand("c02", 35), cand("c03", 29), cand("c04", 20)], 60),
    ael("e2", 3, [cand("c01", 31), cand("c02", 20), cand("c03", 20), cand("c04", 0)], 60)],
   attendance={"present": ids("m", 1, 60)},
   txt=f"{apq(60, 64)}\n"
       "[e1] Élus (Administrateurs) : Anne (40 voix), Bruno (35 voix), sur 60 suffrages exprimés (seuil : 30). 1 siège non pourvu. "
       f"{coopt([('Claire', 29), ('Denis', 20)])}\n"
       "[e2] Élus (Administrateurs) : Anne (31 voix), sur 60 suffrages exprimés (seuil : 30). 2 sièges non pourvus. "
       f"{coopt([('Bruno', 20), ('Claire', 20), ('Denis', 0)])}",
   en=f"{apqen(60, 64)}\n"
      "[e1] Elected (Administrateurs): Anne (40 votes), Bruno (35 votes), out of 60 votes cast (threshold: 30). 1 seat(s) unfilled. "
      f"{coopt([('Claire', 29), ('Denis', 20)], en=True)}\n"
      "[e2] Elected (Administrateurs): Anne (31 votes), out of 60 votes cast (threshold: 30). 2 seat(s) unfilled. "
      f"{coopt([('Bruno', 20), ('Claire', 20), ('Denis', 0)], en=True)}")
sc("aprogemere/ag-candidate-minor-invalid.yaml", P, "ag", APM,
   [act("c01", birth="2008-01-01", declared="2024-05-01")] + r20, [ael("e1", 1, [cand("c01", 3)], 5)],
   attendance={"present": ids("m", 1, 6)},
   err="scrutin count: tests/scenarios/aprogemere/ag-candidate-minor-invalid.yaml:LINE: question « e1 » : le candidat « c01 » n'est pas éligible : un mineur ne peut pas être élu (art. I-VI)",
   err_en="scrutin count: tests/scenarios/aprogemere/ag-candidate-minor-invalid.yaml:LINE: question 'e1': candidate 'c01' is not eligible: a minor cannot be elected (art. I-VI)",
   at="{id: c01, votes")
sc("aprogemere/ag-candidate-seniority-exact.yaml", P, "ag", APM,
   [act("c01", birth="1980-01-01", declared="2024-05-01", registered="2023-06-15")] + r20,
   [ael("e1", 1, [cand("c01", 3)], 5)], attendance={"present": ids("m", 1, 6)},
   txt=f"{apq(6, 21)}\n[e1] Élus (Administrateurs) : c01 (3 voix), sur 5 suffrages exprimés (seuil : 3).".replace("Élus (Administrateurs)", "Élu(e) (Administrateurs)"))
sc("aprogemere/ag-candidate-seniority-short-invalid.yaml", P, "ag", APM,
   [act("c01", birth="1980-01-01", declared="2024-05-01", registered="2023-06-16")] + r20,
   [ael("e1", 1, [cand("c01", 3)], 5)], attendance={"present": ids("m", 1, 6)},
   err="scrutin count: tests/scenarios/aprogemere/ag-candidate-seniority-short-invalid.yaml:LINE: question « e1 » : le candidat « c01 » n'est pas éligible : membre depuis trop peu de temps (art. II-1)",
   err_en="scrutin count: tests/scenarios/aprogemere/ag-candidate-seniority-short-invalid.yaml:LINE: question 'e1': candidate 'c01' is not eligible: not a member for long enough (art. II-1)",
   at="{id: c01, votes")
# President: absolute majority in round 1, relative in round 2, secret.
pe = lambda qid, rnd, cc, valid: dict(id=qid, kind="election", election="president", post="Président", seats=1, round=rnd,
                                       ballots={"valid": valid, "blank": 1}, candidates=cc)
sc("aprogemere/ag-president-two-rounds.yaml", P, "ag", APM, roll,
   [pe("e1", 1, [cand("c01", 11), cand("c02", 9)], 20), pe("e2", 1, [cand("c01", 10), cand("c02", 10)], 20),
    pe("e3", 2, [cand("c01", 9), cand("c02", 8), cand("c03", 3)], 20), pe("e4", 2, [cand("c01", 10), cand("c02", 10)], 20)],
   attendance={"present": ids("m", 1, 21)},
   txt=f"{apq(21, 25)}\n"
       "[e1] Vote à bulletin secret. Élu(e) (Président) : c01 (11 voix), sur 20 bulletins valables (seuil : 11).\n"
       "[e2] Vote à bulletin secret. Président : aucun candidat n'obtient la majorité absolue (seuil : 11 sur 20 bulletins valables). Un second tour est nécessaire, à la majorité relative (art. III).\n"
       "[e3] Vote à bulletin secret. Élu(e) (Président) : c01 (9 voix), sur 20 bulletins valables.\n"
       "[e4] Vote à bulletin secret. Président : égalité non départagée entre c01 (10 voix), c02 (10 voix) ; le règlement ne départage pas, le vote doit être repris.")
# CA: half plus one present (remote opinions count as present); cooptation by 2/3 of the members.
adm = lambda n: [dict(id=f"a{i:02d}", category="administrateur") for i in range(1, n + 1)]
CAM2 = {"date": D, "convocation": "first"}
def capq(n, base):
    req = base // 2 + 1
    met = n >= req
    s = f"Quorum {'atteint' if met else 'non atteint'} : {n} {pl(n, 'membre présent ou à distance', 'membres présents ou à distance')} sur {base} (seuil : {req}, art. II-1)."
    return s + ("" if met else " Le conseil d'administration ne peut pas délibérer.")
CL = "majorité des deux tiers des membres du conseil"
sc("aprogemere/ca-quorum-and-cooptation.yaml", P, "ca", CAM2, adm(7),
   [motion("q1", "cooptation", 5, 0, 0), motion("q2", "cooptation", 4, 0, 0)],
   attendance={"present": ["a01", "a02", "a03", "a04", "a05"], "remote": ["a06"]},
   txt=f"{capq(6, 7)}\n[q1] Motion adoptée à la {CL} : 5 voix pour sur 7 membres (seuil : 5).\n"
       f"[q2] Motion rejetée : 4 voix pour sur 7 membres ; la {CL} demandait 5.")
sc("aprogemere/ca-quorum-odd-exact.yaml", P, "ca", CAM2, adm(7), [motion("q1", "cooptation", 4, 0, 0)],
   attendance={"present": ["a01", "a02", "a03"], "remote": ["a04"]},
   txt=f"{capq(4, 7)}\n[q1] Motion rejetée : 4 voix pour sur 7 membres ; la {CL} demandait 5.")
sc("aprogemere/ca-quorum-even-under.yaml", P, "ca", CAM2, adm(8), [motion("q1", "cooptation", 4, 0, 0)],
   attendance={"present": ["a01", "a02", "a03", "a04"]},
   txt=f"{capq(4, 8)}\n[q1] Pas de décision : le quorum n'est pas atteint.")
sc("aprogemere/ca-proxy-refused.yaml", P, "ca", CAM2, adm(8), [motion("q1", "cooptation", 6, 0, 0)],
   attendance={"present": ids("a", 1, 6)}, proxies=[dict(giver="a07", holder="a01")],
   txt=f"Procuration de a07 refusée (procurations non prévues).\n{capq(6, 8)}\n"
       f"[q1] Motion adoptée à la {CL} : 6 voix pour sur 8 membres (seuil : 6).")

# =====================================================================
# Espace+
# =====================================================================
P = "espace-plus"
LABEL = "majorité simple"
EQ = lambda frac="50%", rounding="floor": {"counts": ["present", "represented"], "fraction": frac, "compare": "at_least",
                                           "rounding": rounding, "second_convocation": "none"}
ECA = {"date": D, "convocation": "first", "quorum": EQ()}
adm = lambda n: [dict(id=f"a{i:02d}", category="administrateur") for i in range(1, n + 1)]
TL = "majorité des deux tiers"
def twothirds(p_, v, label=TL):
    req = max((2 * v) // 3, 1)
    w = pl(v, "membre présent ou représenté", "membres présents ou représentés")
    if p_ >= req:
        return f"Vote à bulletin secret. Motion adoptée à la {label} : {p_} voix pour sur {v} {w} (seuil : {req})."
    return f"Vote à bulletin secret. Motion rejetée : {p_} voix pour sur {v} {w} ; la {label} demandait {req}."
def eq(n, base, note=""):
    req = base // 2
    return f"Quorum {'atteint' if n >= req else 'non atteint'} : {n} {pl(n, 'membre présent ou représenté', 'membres présents ou représentés')} sur {base} (seuil : {req})."
# Two thirds rounded down (2, 16): 10 voices -> 6 (exact 2/3 would need 7); 9 -> 6; 1 -> at least one vote.
sc("espace-plus/ca-radiation-two-thirds.yaml", P, "ca", ECA, adm(10),
   [motion("q1", "radiation", 6, 3, 1), motion("q2", "radiation", 5, 4, 1), motion("q3", "cooptation", 7, 3, 0),
    motion("q4", "volunteer_revocation_appeal", 6, 4, 0)],
   attendance={"present": ids("a", 1, 10)},
   txt=f"{eq(10, 10)}\n[q1] {twothirds(6, 10)}\n[q2] {twothirds(5, 10)}\n[q3] {twothirds(7, 10)}\n[q4] {twothirds(6, 10)}")
sc("espace-plus/ca-two-thirds-nine.yaml", P, "ca", ECA, adm(9),
   [motion("q1", "radiation", 6, 3, 0), motion("q2", "radiation", 5, 3, 1)],
   attendance={"present": ids("a", 1, 9)},
   txt=f"{eq(9, 9)}\n[q1] {twothirds(6, 9)}\n[q2] {twothirds(5, 9)}")
sc("espace-plus/ca-two-thirds-one.yaml", P, "ca", ECA, adm(1),
   [motion("q1", "radiation", 1, 0, 0), motion("q2", "radiation", 0, 0, 1)],
   attendance={"present": ["a01"]},
   txt=f"{eq(1, 1)}\n[q1] {twothirds(1, 1)}\n[q2] {twothirds(0, 1)}")
# Revocation (7): the member concerned does not vote and cannot hold a proxy.
sc("espace-plus/ca-revocation-recusal.yaml", P, "ca", ECA, adm(11),
   [motion("q1", "revocation", 6, 2, 1, recused=["a01"]), motion("q2", "revocation", 5, 3, 1, recused=["a01"])],
   attendance={"present": ids("a", 1, 10)}, proxies=[dict(giver="a11", holder="a01")],
   txt=f"{eq(11, 11)}\n[q1] {twothirds(6, 9)} Voix de a01 non comptée (récusé). Voix de a11 non comptée (mandataire récusé).\n"
       f"[q2] {twothirds(5, 9)} Voix de a01 non comptée (récusé). Voix de a11 non comptée (mandataire récusé).")
sc("espace-plus/ca-quorum-rounding.yaml", P, "ca", dict(ECA, quorum=EQ("25%")), adm(30),
   [motion("q1", "simple", 4, 3, 0)], attendance={"present": ids("a", 1, 7)},
   # 25 % of 30 = 7.5, rounded down: 7.
   txt=f"Quorum atteint : 7 membres présents ou représentés sur 30 (seuil : 7).\n[q1] {rel(4, 3, 0)}")
sc("espace-plus/ca-quorum-rounding-one-under.yaml", P, "ca", dict(ECA, quorum=EQ("25%")), adm(30),
   [motion("q1", "simple", 4, 2, 0)], attendance={"present": ids("a", 1, 6)},
   txt="Quorum non atteint : 6 membres présents ou représentés sur 30 (seuil : 7). Le conseil d'administration ne peut pas délibérer.\n"
       "[q1] Pas de décision : le quorum n'est pas atteint.")
sc("espace-plus/ca-quorum-rounding-invalid.yaml", P, "ca", dict(ECA, quorum=EQ("25%", "none")), adm(4),
   [motion("q1", "simple", 2, 1, 0)], attendance={"present": ids("a", 1, 4)},
   err="scrutin count: tests/scenarios/espace-plus/ca-quorum-rounding-invalid.yaml: meeting.quorum.rounding doit être « floor » (art. 16)",
   err_en="scrutin count: tests/scenarios/espace-plus/ca-quorum-rounding-invalid.yaml: meeting.quorum.rounding must be 'floor' (art. 16)")
# AG proxies (4): digital only, until 30 minutes before; absent holder -> random volunteer.
EAG = {"date": D, "start": "14:00", "convocation": "first", "quorum": EQ("25%"), "seed": 42,
       "volunteers": ["m05", "m06", "m07", "m01"]}
roll = [dict(id=f"m{i:02d}", category="benevole", dues_paid=True) for i in range(1, 13)]
px = [dict(giver="m08", holder="m01", channel="digital", submitted="2024-06-15T13:30"),
      dict(giver="m09", holder="m01", channel="digital", submitted="2024-06-15T13:31"),
      dict(giver="m10", holder="m01", channel="paper", submitted="2024-06-15T10:00"),
      dict(giver="m11", holder="m12", channel="digital", submitted="2024-06-14T20:00"),
      dict(giver="m12", holder="m03", channel="digital", submitted="2024-06-14T21:00")]
# m11's holder m12 is absent: candidates among volunteers present with a vote, not the giver: m05, m06, m01
# (m07 absent). m12 -> m03 is fine (m03 present).
pick = ["m05", "m06", "m01"][SplitMix(42).uniform(3)]
sc("espace-plus/ag-proxies.yaml", P, "ag", EAG, roll, [motion("q1", "simple", 4, 3, 1)],
   attendance={"present": ["m01", "m02", "m03", "m04", "m05", "m06"]}, proxies=px,
   txt="Procuration de m09 refusée (reçue après le délai).\nProcuration de m10 refusée (canal non admis).\n"
       f"Procuration de m11 réattribuée au hasard à {pick} (graine 42, tirage parmi m05, m06, m01).\n"
       f"Quorum atteint : 9 membres présents ou représentés sur 12 (seuil : 3).\n[q1] {rel(4, 3, 1)}")
# The result states each reassignment so that it can be drawn again (4): the seed,
# the pool in the order drawn from (the volunteers' order, those who cannot take
# it left out), the rank when the generator runs on from an earlier one
# (.expected.json), and the members drawn who declined the proxy (« qui accepte
# la procuration »): passed over, the draw goes on among the others.
rpx = [dict(giver="m11", holder="m12", channel="digital", submitted="2024-06-14T20:00"),
       dict(giver="m10", holder="m12", channel="digital", submitted="2024-06-14T20:05"),
       dict(giver="m09", holder="m07", channel="digital", submitted="2024-06-14T20:10")]
rpool = ["m05", "m06", "m01"]          # volunteers present, not the giver (m07 absent)
(r1, _), (r2, _), (r3, _) = reassign(42, [rpool, rpool, rpool], [])
sc("espace-plus/ag-reassignment-seed.yaml", P, "ag", EAG, roll, [motion("q1", "simple", 4, 3, 1)],
   attendance={"present": ["m01", "m02", "m03", "m04", "m05", "m06"]}, proxies=rpx,
   txt=f"Procuration de m11 réattribuée au hasard à {r1} (graine 42, tirage parmi {', '.join(rpool)}).\n"
       f"Procuration de m10 réattribuée au hasard à {r2} (graine 42, 2e réattribution, tirage parmi {', '.join(rpool)}).\n"
       f"Procuration de m09 réattribuée au hasard à {r3} (graine 42, 3e réattribution, tirage parmi {', '.join(rpool)}).\n"
       f"Quorum atteint : 9 membres présents ou représentés sur 12 (seuil : 3).\n[q1] {rel(4, 3, 1)}")
# The first member drawn for m11's proxy declines it, and declines again when drawn later.
dec = [r1]
(d1, x1), (d2, x2), (d3, x3) = reassign(42, [rpool, rpool, rpool], dec)
assert x1 == dec
def decl(x, word=" ; refusée par "):
    return f"{word}{', '.join(x)}" if x else ""
sc("espace-plus/ag-reassignment-declined.yaml", P, "ag", dict(EAG, declined=dec), roll, [motion("q1", "simple", 4, 3, 1)],
   attendance={"present": ["m01", "m02", "m03", "m04", "m05", "m06"]}, proxies=rpx,
   txt=f"Procuration de m11 réattribuée au hasard à {d1} (graine 42, tirage parmi {', '.join(rpool)}{decl(x1)}).\n"
       f"Procuration de m10 réattribuée au hasard à {d2} (graine 42, 2e réattribution, tirage parmi {', '.join(rpool)}{decl(x2)}).\n"
       f"Procuration de m09 réattribuée au hasard à {d3} (graine 42, 3e réattribution, tirage parmi {', '.join(rpool)}{decl(x3)}).\n"
       f"Quorum atteint : 9 membres présents ou représentés sur 12 (seuil : 3).\n[q1] {rel(4, 3, 1)}",
   en=f"Proxy from m11 reassigned at random to {d1} (seed 42, drawn among {', '.join(rpool)}{decl(x1, '; declined by ')}).\n"
      f"Proxy from m10 reassigned at random to {d2} (seed 42, reassignment 2, drawn among {', '.join(rpool)}{decl(x2, '; declined by ')}).\n"
      f"Proxy from m09 reassigned at random to {d3} (seed 42, reassignment 3, drawn among {', '.join(rpool)}{decl(x3, '; declined by ')}).\n"
      "Quorum reached: 9 members present or represented out of 12 (threshold: 3).\n"
      "[q1] Motion adopted by majorité simple: 4 for, 3 against, 1 abstention.")
# Every volunteer declines: the proxy is refused, and the result says who was drawn.
sc("espace-plus/ag-reassignment-all-declined.yaml", P, "ag", dict(EAG, volunteers=["m05", "m06"], declined=["m05", "m06"]),
   roll, [motion("q1", "simple", 4, 2, 0)],
   attendance={"present": ["m01", "m02", "m03", "m04", "m05", "m06"]}, proxies=rpx[:1],
   txt="Procuration de m11 refusée (aucun volontaire disponible : graine 42, tirage parmi m05, m06 ; "
       f"refusée par {', '.join(reassign(42, [['m05', 'm06']], ['m05', 'm06'])[0][1])}).\n"
       f"Quorum atteint : 6 membres présents ou représentés sur 12 (seuil : 3).\n[q1] {rel(4, 2, 0)}")
sc("espace-plus/ag-proxies-no-volunteer.yaml", P, "ag", dict(EAG, volunteers=["m07"]), roll,
   [motion("q1", "simple", 4, 2, 0)], attendance={"present": ["m01", "m02", "m03", "m04", "m05", "m06"]}, proxies=px[3:4],
   txt="Procuration de m11 refusée (aucun volontaire disponible).\n"
       f"Quorum atteint : 6 membres présents ou représentés sur 12 (seuil : 3).\n[q1] {rel(4, 2, 0)}")
sc("espace-plus/ag-proxy-channel-missing-invalid.yaml", P, "ag", EAG, roll, [motion("q1", "simple", 1, 0, 0)],
   attendance={"present": ["m01"]}, proxies=[dict(giver="m08", holder="m01", submitted="2024-06-15T10:00")],
   err="scrutin count: tests/scenarios/espace-plus/ag-proxy-channel-missing-invalid.yaml:LINE: procuration de « m08 » : le canal (channel) doit être indiqué (art. 4)",
   err_en="scrutin count: tests/scenarios/espace-plus/ag-proxy-channel-missing-invalid.yaml:LINE: proxy from 'm08': channel is needed (art. 4)",
   at="{giver: m08")
# Exception to seniority voted by one college (5): only that college's members vote.
roll = [dict(id=f"i{i:02d}", category="individuel", dues_paid=True) for i in range(1, 6)] + \
       [dict(id=f"s{i:02d}", category="associatif", dues_paid=True) for i in range(1, 4)]
sc("espace-plus/ag-college-vote.yaml", P, "ag", dict(EAG, volunteers=[]), roll,
   [motion("q1", "seniority_exception", 2, 1, 0, college="personnes_morales"),
    motion("q2", "seniority_exception", 1, 1, 1, college="personnes_morales")],
   attendance={"present": [m["id"] for m in roll]},
   txt=f"Quorum atteint : 8 membres présents ou représentés sur 8 (seuil : 2).\n"
       f"[q1] {rel(2, 1, 0, 'majorité simple du collège')}\n[q2] {rel(1, 1, 1, 'majorité simple du collège')}")
sc("espace-plus/ag-college-too-many-invalid.yaml", P, "ag", dict(EAG, volunteers=[]), roll,
   [motion("q1", "seniority_exception", 3, 1, 0, college="personnes_morales")],
   attendance={"present": [m["id"] for m in roll]},
   err="scrutin count: tests/scenarios/espace-plus/ag-college-too-many-invalid.yaml:LINE: question « q1 » : 4 voix, mais 3 seulement peuvent s'exprimer",
   err_en="scrutin count: tests/scenarios/espace-plus/ag-college-too-many-invalid.yaml:LINE: question 'q1': 4 votes but only 3 voices can be cast")
# Eligibility to the CA (5, 6): volunteers validated for more than six months, dues paid.
def ben(i, **kw):
    d = dict(id=i, category="benevole", dues_paid=True, declared="2024-05-01")
    d.update(kw)
    return d
CL = "majorité simple du collège"
roll = [ben("c01", validated="2023-12-14"), ben("c02", validated="2023-12-15")] + \
       [dict(id=f"m{i:02d}", category="individuel", dues_paid=True) for i in range(1, 7)]
# c02, validated exactly six months before, stands by the exception the college of
# natural persons adopted before the election (5).
sc("espace-plus/ag-candidates-seniority.yaml", P, "ag", dict(EAG, volunteers=[]), roll,
   [motion("x1", "seniority_exception", 4, 1, 1, college="personnes_physiques"),
    dict(id="e1", kind="election", election="ca", seats=2, ballots={"valid": 6},
         candidates=[cand("c01", 5), dict(cand("c02", 4), seniority_exception="x1")])],
   attendance={"present": ids("m", 1, 6)},
   txt="Quorum atteint : 6 membres présents ou représentés sur 8 (seuil : 2).\n"
       f"[x1] {rel(4, 1, 1, CL)}\n"
       "[e1] Élus (Conseil d'administration) : c01 (5 voix), c02 (4 voix), sur 6 suffrages exprimés.")
# « depuis plus de 6 mois »: validated 2023-12-15, not eligible on 2024-06-15 without an
# exception; on the ballot, never elected, and the result says why.
sc("espace-plus/ag-candidate-six-months-exact.yaml", P, "ag", dict(EAG, volunteers=[]),
   [ben("c01", validated="2023-12-15")] + roll[2:],
   [dict(id="e1", kind="election", election="ca", seats=1, ballots={"valid": 5}, candidates=[cand("c01", 5)])],
   attendance={"present": ids("m", 1, 6)},
   txt="Quorum atteint : 6 membres présents ou représentés sur 7 (seuil : 1).\n"
       "[e1] Conseil d'administration : aucun candidat élu. 1 siège non pourvu. "
       "c01 n'est pas éligible : ancienneté insuffisante, sans exception votée (art. 5).")
# The exception is the college's vote (5), counted under its rule before the election:
# rejected 2-7, the candidate is not elected; adopted 7-2, elected; not voted, or voted
# after the election, not elected. The college is the candidate's own (bénévole:
# personnes physiques); the candidate concerned is recused.
xr = [ben("c01", validated="2020-01-01"), ben("c02", validated="2024-03-01")] + \
     [dict(id=f"i{i:02d}", category="individuel", dues_paid=True) for i in range(1, 10)]
xatt = {"present": [m["id"] for m in xr]}
xq = lambda p_, c_, a_, college="personnes_physiques": motion("x1", "seniority_exception", p_, c_, a_, college=college,
                                                             recused=["c02"], label="Exception pour c02")
xe = lambda exc="x1": dict(id="e1", kind="election", election="ca", seats=1, ballots={"valid": 10, "blank": 1},
                           candidates=[cand("c01", 4), dict(cand("c02", 6), **({"seniority_exception": exc} if exc else {}))])
XQ = "Quorum atteint : 11 membres présents ou représentés sur 11 (seuil : 2).\n"
sc("espace-plus/ag-exception-rejected.yaml", P, "ag", dict(EAG, volunteers=[]), xr, [xq(2, 7, 1), xe()], attendance=xatt,
   txt=f"{XQ}[x1] {rel(2, 7, 1, CL)} Voix de c02 non comptée (récusé).\n"
       "[e1] Élu(e) (Conseil d'administration) : c01 (4 voix), sur 10 suffrages exprimés. "
       "c02 n'est pas éligible : ancienneté insuffisante, l'exception (question x1) ayant été rejetée (art. 5).",
   en="Quorum reached: 11 members present or represented out of 11 (threshold: 2).\n"
      "[x1] Motion rejected: 2 for, 7 against, 1 abstention (majorité simple du collège not reached). Voice of c02 not counted (recused).\n"
      "[e1] Elected (Conseil d'administration): c01 (4 votes), out of 10 votes cast. "
      "c02 is not eligible: not a member for long enough; the exception (question x1) was rejected (art. 5).")
sc("espace-plus/ag-exception-adopted.yaml", P, "ag", dict(EAG, volunteers=[]), xr, [xq(7, 2, 1), xe()], attendance=xatt,
   txt=f"{XQ}[x1] {rel(7, 2, 1, CL)} Voix de c02 non comptée (récusé).\n"
       "[e1] Élu(e) (Conseil d'administration) : c02 (6 voix), sur 10 suffrages exprimés.")
sc("espace-plus/ag-exception-not-voted.yaml", P, "ag", dict(EAG, volunteers=[]), xr, [xe(None)], attendance=xatt,
   txt=f"{XQ}[e1] Élu(e) (Conseil d'administration) : c01 (4 voix), sur 10 suffrages exprimés. "
       "c02 n'est pas éligible : ancienneté insuffisante, sans exception votée (art. 5).")
sc("espace-plus/ag-exception-after-election.yaml", P, "ag", dict(EAG, volunteers=[]), xr, [xe(), xq(7, 2, 1)], attendance=xatt,
   txt=f"{XQ}[e1] Élu(e) (Conseil d'administration) : c01 (4 voix), sur 10 suffrages exprimés. "
       "c02 n'est pas éligible : ancienneté insuffisante, l'exception (question x1) n'étant pas dépouillée avant cette élection (art. 5).\n"
       f"[x1] {rel(7, 2, 1, CL)} Voix de c02 non comptée (récusé).")
sc("espace-plus/ag-exception-wrong-college-invalid.yaml", P, "ag", dict(EAG, volunteers=[]), xr,
   [xq(0, 0, 0, "personnes_morales"), xe()], attendance=xatt,
   err="scrutin count: tests/scenarios/espace-plus/ag-exception-wrong-college-invalid.yaml:LINE: candidat « c02 » : "
       "l'exception à l'ancienneté « x1 » doit être votée par le collège de la catégorie « benevole » (art. 5)",
   err_en="scrutin count: tests/scenarios/espace-plus/ag-exception-wrong-college-invalid.yaml:LINE: candidate 'c02': "
       "the seniority exception 'x1' must be voted by the college of category 'benevole' (art. 5)",
   at="{id: c02, votes")
sc("espace-plus/ag-exception-not-a-motion-invalid.yaml", P, "ag", dict(EAG, volunteers=[]), xr,
   [motion("x1", "simple", 7, 2, 1), xe()], attendance=xatt,
   err="scrutin count: tests/scenarios/espace-plus/ag-exception-not-a-motion-invalid.yaml:LINE: candidat « c02 » : "
       "la question « x1 » n'est pas une motion « seniority_exception » (art. 5)",
   err_en="scrutin count: tests/scenarios/espace-plus/ag-exception-not-a-motion-invalid.yaml:LINE: candidate 'c02': "
       "question 'x1' is not a 'seniority_exception' motion (art. 5)",
   at="{id: c02, votes")
sc("espace-plus/ag-candidate-individual-invalid.yaml", P, "ag", dict(EAG, volunteers=[]), roll,
   [dict(id="e1", kind="election", election="ca", seats=1, ballots={"valid": 5}, candidates=[cand("m01", 5)])],
   attendance={"present": ids("m", 1, 6)},
   err="scrutin count: tests/scenarios/espace-plus/ag-candidate-individual-invalid.yaml:LINE: question « e1 » : le candidat « m01 » n'est pas éligible : sa catégorie n'est pas éligible (art. 1, 5)",
   err_en="scrutin count: tests/scenarios/espace-plus/ag-candidate-individual-invalid.yaml:LINE: question 'e1': candidate 'm01' is not eligible: their category is not eligible (art. 1, 5)",
   at="{id: m01, votes")

# =====================================================================
# Mines Alès — groups
# =====================================================================
P = "mines-ales"
GR = {"date": D, "convocation": "first", "group": {"id": "idf", "kind": "regional"}}
# Dues are checked on the meeting's date (4.1): a paid-until date, not true/false.
PAID, UNPAID = "2024-12-31", "2024-06-14"
roll = [dict(id=f"m{i:02d}", category="membre", dues_paid_until=PAID, zone="idf") for i in range(1, 7)] + \
       [dict(id="z01", category="membre", dues_paid_until=PAID, zone="paca"),
        dict(id="u01", category="membre", dues_paid_until=UNPAID, zone="idf"),
        dict(id="f01", category="ami", zone="idf"),
        dict(id="c01", category="membre", dues_paid_until=PAID, zone="idf", declared="during_meeting")]
ov = lambda pairs: [{"voice": v, "choice": c} for v, c in pairs]
sc("mines-ales/groupe-regional-delegate.yaml", P, "groupe", GR, roll,
   [dict(id="e1", kind="election", election="delegue", seats=1, candidates=[{"id": "m01"}, {"id": "c01"}],
         open_votes=ov([("m01", "m01"), ("m02", "m01"), ("m03", "c01"), ("m04", "m01"), ("m05", "c01"), ("c01", "c01"), ("m06", "m01")])),
    dict(id="e2", kind="election", election="suppleant", seats=1, ballots={"valid": 6},
         candidates=[cand("m02", 3), cand("c01", 3)])],
   attendance={"present": ["m01", "m02", "m03", "m04", "m05", "z01", "u01", "f01", "c01"], "remote": ["m06"]},
   proxies=[dict(giver="m03", holder="m01")],
   txt="z01 : pas de voix délibérative (domicile hors de la zone du groupe).\n"
       "u01 : pas de voix délibérative (cotisation non à jour à la date du vote).\n"
       "f01 : pas de voix délibérative (voix consultative seulement).\n"
       "Procuration de m03 refusée (procurations non prévues).\n"
       "Aucun quorum n'est requis (art. 4.2).\n"
       "[e1] Élu(e) (Délégué) : m01 (4 voix), sur 7 suffrages exprimés.\n"
       "[e2] Délégué suppléant : égalité non départagée entre m02 (3 voix), c01 (3 voix) ; le règlement ne départage pas, le vote doit être repris.")
sc("mines-ales/groupe-regional-outsider-vote-invalid.yaml", P, "groupe", GR, roll,
   [dict(id="e1", kind="election", election="delegue", seats=1, candidates=[{"id": "m01"}],
         open_votes=ov([("m01", "m01"), ("z01", "m01")]))],
   attendance={"present": ["m01", "z01"]},
   err="scrutin count: tests/scenarios/mines-ales/groupe-regional-outsider-vote-invalid.yaml:LINE: vote nominatif : la voix de « z01 » ne peut pas s'exprimer (deux fois, ou pas disponible) sur la question « e1 »",
   err_en="scrutin count: tests/scenarios/mines-ales/groupe-regional-outsider-vote-invalid.yaml:LINE: open vote: the voice of 'z01' cannot be cast (twice, or not available) on question 'e1'",
   at="{voice: z01")
sc("mines-ales/groupe-regional-outsider-candidate-invalid.yaml", P, "groupe", GR, roll,
   [dict(id="e1", kind="election", election="delegue", seats=1, ballots={"valid": 2}, candidates=[cand("z01", 2)])],
   attendance={"present": ["m01", "m02"]},
   err="scrutin count: tests/scenarios/mines-ales/groupe-regional-outsider-candidate-invalid.yaml:LINE: question « e1 » : le candidat « z01 » n'est pas éligible : domicile hors de la zone du groupe (art. 4.1)",
   err_en="scrutin count: tests/scenarios/mines-ales/groupe-regional-outsider-candidate-invalid.yaml:LINE: question 'e1': candidate 'z01' is not eligible: home outside the group's zone (art. 4.1)",
   at="{id: z01, votes")
# Thematic group: enrolled for more than one year (4.1): 2023-06-15 is exactly one year before -> not enough.
TH = {"date": D, "convocation": "first", "group": {"id": "oenologie", "kind": "thematic"}}
roll = [dict(id="t01", category="membre", dues_paid_until=PAID, enrolments={"oenologie": "2023-06-14"}),
        dict(id="t02", category="membre", dues_paid_until=PAID, enrolments={"oenologie": "2023-06-15"}),
        dict(id="t03", category="membre", dues_paid_until=PAID, enrolments={"randonnee": "2010-01-01"}),
        dict(id="t04", category="membre", dues_paid_until=PAID, enrolments={"oenologie": "2020-01-01", "randonnee": "2020-01-01"})]
sc("mines-ales/groupe-thematic-enrolment.yaml", P, "groupe", TH, roll,
   [dict(id="e1", kind="election", election="delegue", seats=1, ballots={"valid": 2}, candidates=[cand("t01", 1), cand("t04", 1)]),
    dict(id="e2", kind="election", election="suppleant", seats=1, ballots={"valid": 2}, candidates=[cand("t04", 2)])],
   attendance={"present": ["t01", "t02", "t03", "t04"]},
   txt="t02 : pas de voix délibérative (inscrit dans le groupe depuis trop peu de temps).\n"
       "t03 : pas de voix délibérative (non inscrit dans le groupe).\n"
       "Aucun quorum n'est requis (art. 4.2).\n"
       "[e1] Délégué : égalité non départagée entre t01 (1 voix), t04 (1 voix) ; le règlement ne départage pas, le vote doit être repris.\n"
       "[e2] Élu(e) (Délégué suppléant) : t04 (2 voix), sur 2 suffrages exprimés.",
   en="t02: no deliberative vote (enrolled in the group too recently).\n"
      "t03: no deliberative vote (not enrolled in the group).\n"
      "No quorum is required (art. 4.2).\n"
      "[e1] Délégué: unresolved tie between t01 (1 vote), t04 (1 vote); the rules do not break it, the vote must be held again.\n"
      "[e2] Elected (Délégué suppléant): t04 (2 votes), out of 2 votes cast.")
sc("mines-ales/groupe-zone-missing-invalid.yaml", P, "groupe", GR, [dict(id="m01", category="membre", dues_paid_until=PAID)],
   [], attendance={"present": ["m01"]},
   err="scrutin count: tests/scenarios/mines-ales/groupe-zone-missing-invalid.yaml:LINE: membre « m01 » : la zone doit être indiquée (art. 4.1)",
   err_en="scrutin count: tests/scenarios/mines-ales/groupe-zone-missing-invalid.yaml:LINE: member 'm01': zone is needed (art. 4.1)",
   at="{id: m01")
sc("mines-ales/groupe-empty.yaml", P, "groupe", GR, [], [], txt="Aucun quorum n'est requis (art. 4.2).")
# « À jour de leur cotisation au moment du vote » (4.1), on 2024-06-15: paid until the
# day before -> no vote; until the meeting's day -> a vote. A payment date covers
# one year (the profile's reading): paid on 2023-06-15 -> until 2024-06-14 (no vote);
# on 2023-06-16 -> until 2024-06-15 (a vote); a payment after the meeting is no payment
# at the vote date. The roll of the server gives payment dates.
dr = [dict(id="d01", category="membre", dues_paid_until="2024-06-14", zone="idf"),
      dict(id="d02", category="membre", dues_paid_until="2024-06-15", zone="idf"),
      dict(id="d03", category="membre", dues_paid_on="2023-06-15", zone="idf"),
      dict(id="d04", category="membre", dues_paid_on="2023-06-16", zone="idf"),
      dict(id="d05", category="membre", dues_paid_on="2024-06-16", zone="idf")]
sc("mines-ales/groupe-dues-date.yaml", P, "groupe", GR, dr,
   [dict(id="e1", kind="election", election="delegue", seats=1, candidates=[{"id": "d02"}, {"id": "d04"}],
         open_votes=ov([("d02", "d02"), ("d04", "d02")]))],
   attendance={"present": ["d01", "d02", "d03", "d04", "d05"]},
   txt="d01 : pas de voix délibérative (cotisation non à jour à la date du vote).\n"
       "d03 : pas de voix délibérative (cotisation non à jour à la date du vote).\n"
       "d05 : pas de voix délibérative (cotisation non à jour à la date du vote).\n"
       "Aucun quorum n'est requis (art. 4.2).\n"
       "[e1] Élu(e) (Délégué) : d02 (2 voix), sur 2 suffrages exprimés.")
sc("mines-ales/groupe-dues-open-vote-invalid.yaml", P, "groupe", GR, dr,
   [dict(id="e1", kind="election", election="delegue", seats=1, candidates=[{"id": "d02"}],
         open_votes=ov([("d02", "d02"), ("d01", "d02")]))],
   attendance={"present": ["d01", "d02"]},
   err="scrutin count: tests/scenarios/mines-ales/groupe-dues-open-vote-invalid.yaml:LINE: vote nominatif : la voix de « d01 » ne peut pas s'exprimer (deux fois, ou pas disponible) sur la question « e1 »",
   err_en="scrutin count: tests/scenarios/mines-ales/groupe-dues-open-vote-invalid.yaml:LINE: open vote: the voice of 'd01' cannot be cast (twice, or not available) on question 'e1'",
   at="{voice: d01")
sc("mines-ales/groupe-candidate-dues-invalid.yaml", P, "groupe", GR, dr,
   [dict(id="e1", kind="election", election="delegue", seats=1, ballots={"valid": 2}, candidates=[cand("d01", 2)])],
   attendance={"present": ["d02", "d04"]},
   err="scrutin count: tests/scenarios/mines-ales/groupe-candidate-dues-invalid.yaml:LINE: question « e1 » : le candidat « d01 » n'est pas éligible : cotisation non à jour à la date du vote (art. 4.1)",
   err_en="scrutin count: tests/scenarios/mines-ales/groupe-candidate-dues-invalid.yaml:LINE: question 'e1': candidate 'd01' is not eligible: dues not paid at the vote date (art. 4.1)",
   at="{id: d01, votes")
# true/false does not say on which day: refused where the profile checks the meeting's date.
sc("mines-ales/groupe-dues-bool-invalid.yaml", P, "groupe", GR, [dict(id="m01", category="membre", dues_paid=True, zone="idf")],
   [], attendance={"present": ["m01"]},
   err="scrutin count: tests/scenarios/mines-ales/groupe-dues-bool-invalid.yaml:LINE: membre « m01 » : dues_paid_until doit être indiqué : la cotisation est vérifiée à la date de la réunion (art. 4.1)",
   err_en="scrutin count: tests/scenarios/mines-ales/groupe-dues-bool-invalid.yaml:LINE: member 'm01': dues_paid_until is needed: dues are checked on the meeting's date (art. 4.1)",
   at="{id: m01")

# =====================================================================
# Malformed scenario files: refused with file:line:column and the field.
# =====================================================================
HEAD = "format: scrutin-scenario/1\nprofile: animt\nbody: ag\nmeeting: {date: 2024-06-15, convocation: first, quorum: none}\n"
def bad(name, body, msg, msg_en):
    path = f"tests/scenarios/animt/{name}.yaml"
    sc(f"animt/{name}.yaml", None, None, None, None, None, raw=HEAD + body, err=f"scrutin count: {path}:{msg}",
       err_en=f"scrutin count: {path}:{msg_en}")
bad("invalid-unknown-key", "roll:\n  - {id: m01, category: membre_de_droit, colour: red}\nquestions: []\n",
    "6:42: roll[0].colour : clé inconnue (ou qui ne s'applique pas ici)",
    "6:42: roll[0].colour: unknown key (or a key that does not apply here)")
bad("invalid-duplicate-key", "roll: []\nquestions: []\nroll: []\n",
    "7:1: roll : clé en double (la première à la ligne 5)",
    "7:1: roll: duplicate key (first at line 5)")
bad("invalid-wrong-type", "roll:\n  - {id: m01, category: membre_de_droit, dues_paid: yes}\nattendance: {present: [m01]}\n"
    "questions:\n  - {id: q1, kind: motion, decision: ordinary, on_agenda: true, totals: {pour: many, contre: 0, abstention: 0}}\n",
    "6:53: roll[0].dues_paid : true ou false attendu, trouvé « yes »",
    "6:53: roll[0].dues_paid: expected true or false, got 'yes'")
bad("invalid-count", "roll: []\nquestions:\n  - {id: q1, kind: motion, decision: ordinary, on_agenda: true, totals: {pour: -1, contre: 0, abstention: 0}}\n",
    "7:80: questions[0].totals.pour : nombre entier attendu, trouvé « -1 »",
    "7:80: questions[0].totals.pour: expected a whole number, got '-1'")
bad("invalid-date", "roll:\n  - {id: m01, category: membre_de_droit, birth: 2023-02-29}\nquestions: []\n",
    "6:49: roll[0].birth : date AAAA-MM-JJ attendue, trouvé « 2023-02-29 »",
    "6:49: roll[0].birth: expected a date YYYY-MM-DD, got '2023-02-29'")
bad("invalid-alias", "roll:\n  - &a {id: m01, category: membre_de_droit}\n  - *a\nquestions: []\n",
    "6:5: les ancres YAML ne sont pas admises",
    "6:5: anchors are not allowed")
bad("invalid-attendance", "roll:\n  - {id: m01, category: membre_de_droit}\nattendance: {present: [m01, m02]}\nquestions: []\n",
    "7:29: attendance.present[1] : « m02 » n'est pas sur la liste des membres",
    "7:29: attendance.present[1]: 'm02' is not on the roll")
bad("invalid-attendance-twice", "roll:\n  - {id: m01, category: membre_de_droit}\nattendance: {present: [m01], remote: [m01]}\nquestions: []\n",
    "7:39: attendance.remote[0] : « m01 » figure déjà dans les présences",
    "7:39: attendance.remote[0]: 'm01' is already listed in attendance")
bad("invalid-missing-questions", "roll: []\n", "1:1: (document) : clé « questions » manquante",
    "1:1: (document): missing key 'questions'")
bad("invalid-syntax", "roll: [\nquestions: []\n", "7:1: « , » ou « ] » attendu",
    "7:1: did not find expected ',' or ']'")
bad("invalid-twice-on-roll", "roll:\n  - {id: m01, category: membre_de_droit}\n  - {id: m01, category: membre_de_droit}\nquestions: []\n",
    "7: le membre « m01 » figure deux fois sur la liste des membres",
    "7: member 'm01' is twice on the roll")
bad("invalid-unknown-category", "roll:\n  - {id: m01, category: adherent}\nquestions: []\n",
    "6: membre « m01 » : la catégorie « adherent » n'est pas définie pour l'instance « ag »",
    "6: member 'm01': category 'adherent' is not defined for body 'ag'")
bad("invalid-unknown-decision", "roll:\n  - {id: m01, category: membre_de_droit, dues_paid: true}\nattendance: {present: [m01]}\n"
    "questions:\n  - {id: q1, kind: motion, decision: budget, on_agenda: true, totals: {pour: 1, contre: 0, abstention: 0}}\n",
    "9: question « q1 » : la décision « budget » n'est pas définie pour l'instance « ag »",
    "9: question 'q1': decision 'budget' is not defined for body 'ag'")
bad("invalid-dues-unknown", "roll:\n  - {id: m01, category: membre_de_droit}\nquestions: []\n",
    "6: membre « m01 » : la cotisation (dues_paid) doit être indiquée (art. VIII, XVII)",
    "6: member 'm01': dues_paid is needed (art. VIII, XVII)")
bad("invalid-kind-key", "roll: []\nquestions:\n  - {id: q1, kind: draw, draw: x, pool: [], seed: 1, totals: {pour: 1, contre: 0, abstention: 0}}\n",
    "7:54: questions[0].totals : clé inconnue (ou qui ne s'applique pas ici)",
    "7:54: questions[0].totals: unknown key (or a key that does not apply here)")
# What an editor or a spreadsheet may write. A UTF-8 byte order mark is
# skipped; a NUL, a byte that is not UTF-8 (Latin-1 « é ») and a UTF-16
# file are refused at the line and column of the byte (columns count
# characters, « Hélène » six).
ONE = (HEAD + "roll:\n  - {id: m01, category: membre_de_droit, dues_paid: true, name: \"Hélène Rémy\"}\n"
       "attendance: {present: [m01]}\n"
       "questions:\n  - {id: q1, kind: motion, decision: ordinary, on_agenda: true, totals: {pour: 1, contre: 0, abstention: 0}}\n")
ONE_TXT = "Aucun quorum n'est requis (fixé pour cette réunion).\n[q1] " + rel(1, 0, 0, "majorité relative")
sc("animt/bom.yaml", None, None, None, None, None, raw=b"\xef\xbb\xbf" + ONE.encode(), txt=ONE_TXT)
nul = ONE.encode().replace(b"profile: animt", b"profile: an\x00imt")
sc("animt/invalid-nul.yaml", None, None, None, None, None, raw=nul,
   err="scrutin count: tests/scenarios/animt/invalid-nul.yaml:2:12: caractère de contrôle 0x00 non admis",
   err_en="scrutin count: tests/scenarios/animt/invalid-nul.yaml:2:12: control characters are not allowed")
col = len('  - {id: m01, category: membre_de_droit, dues_paid: true, name: "Hélène R') + 1
latin1 = ONE.encode().replace("Rémy".encode(), b"R\xe9my")
sc("animt/invalid-latin1.yaml", None, None, None, None, None, raw=latin1,
   err=f"scrutin count: tests/scenarios/animt/invalid-latin1.yaml:6:{col}: octet 0xE9 invalide : "
       "le fichier n'est pas en UTF-8 (l'enregistrer en UTF-8)",
   err_en=f"scrutin count: tests/scenarios/animt/invalid-latin1.yaml:6:{col}: invalid trailing UTF-8 octet")
sc("animt/invalid-utf16.yaml", None, None, None, None, None, raw=b"\xff\xfe" + ONE.encode("utf-16-le"),
   err="scrutin count: tests/scenarios/animt/invalid-utf16.yaml:1:1: fichier en UTF-16 : l'enregistrer en UTF-8",
   err_en="scrutin count: tests/scenarios/animt/invalid-utf16.yaml:1:1: the file is UTF-16: save it as UTF-8")
sc("animt/invalid-wrong-profile.yaml", None, None, None, None, None,
   raw="format: scrutin-scenario/1\nprofile: a-imi\nbody: ag\nmeeting: {date: 2024-06-15, convocation: first}\nroll: []\nquestions: []\n",
   err="scrutin count: tests/scenarios/animt/invalid-wrong-profile.yaml: profile : le scénario est écrit pour « a-imi », pas pour « animt »",
   err_en="scrutin count: tests/scenarios/animt/invalid-wrong-profile.yaml: profile: the scenario is written for 'a-imi', not 'animt'")

# =====================================================================
# Malformed profiles (NAME.profile.yaml next to a trivial scenario).
# =====================================================================
with open("ballot-formats/profiles/mines-ales.yaml") as f:
    GOOD = f.read()
TRIV = ("format: scrutin-scenario/1\nprofile: mines-ales\nbody: groupe\n"
        "meeting: {date: 2024-06-15, convocation: first, group: {id: idf, kind: regional}}\nroll: []\nquestions: []\n")
def badprof(name, old, new, msg, msg_en):
    assert old in GOOD, old
    text = GOOD.replace(old, new, 1)
    d = f"{OUT}/profiles-invalid"
    os.makedirs(d, exist_ok=True)
    with open(f"{d}/{name}.profile.yaml", "w") as f:
        f.write(text)
    sc(f"profiles-invalid/{name}.yaml", None, None, None, None, None, raw=TRIV,
       err=f"scrutin count: {d}/{name}.profile.yaml:{msg}",
       err_en=f"scrutin count: {d}/{name}.profile.yaml:{msg_en}")
badprof("missing-article", '      minors: {vote: true, article: "—"}', '      minors: {vote: true}',
        "54:15: bodies.groupe.voters.minors : clé « article » manquante",
        "54:15: bodies.groupe.voters.minors: missing key 'article'")
badprof("unknown-key", "    quorum:\n      rule: none", "    quorum:\n      rule: none\n      fraction: \"1/4\"",
        "67:7: bodies.groupe.quorum.fraction : clé inconnue (ou qui ne s'applique pas ici)",
        "67:7: bodies.groupe.quorum.fraction: unknown key (or a key that does not apply here)")
badprof("bad-fraction", "        enrolment_months: 12", "        enrolment_months: twelve",
        "48:27: bodies.groupe.voters.zone.enrolment_months : nombre entier attendu, trouvé « twelve »",
        "48:27: bodies.groupe.voters.zone.enrolment_months: expected a whole number, got 'twelve'")
badprof("duplicate-key", "    decisions: {}", "    decisions: {}\n    decisions: {}",
        "86:5: decisions : clé en double (la première à la ligne 85)",
        "86:5: decisions: duplicate key (first at line 85)")
badprof("bad-enum", "        method: plurality", "        method: borda",
        "90:17: bodies.groupe.elections.delegue.method : « borda » n'est pas admis ; valeurs possibles : plurality, threshold, two_round",
        "90:17: bodies.groupe.elections.delegue.method: 'borda' is not one of: plurality, threshold, two_round")
badprof("missing-votes", "        votes: true\n        quorum: false", "        quorum: false",
        "16:9: bodies.groupe.categories.membre : clé « votes » manquante",
        "16:9: bodies.groupe.categories.membre: missing key 'votes'")
# The French label is required; the English one is optional, but never empty.
badprof("missing-label", '        label: "Délégué suppléant"\n', "",
        "101:9: bodies.groupe.elections.suppleant : clé « label » manquante",
        "101:9: bodies.groupe.elections.suppleant: missing key 'label'")
badprof("empty-label-en", 'label_en: "Delegate"', 'label_en: ""',
        "89:19: bodies.groupe.elections.delegue.label_en : texte vide",
        "89:19: bodies.groupe.elections.delegue.label_en: empty string")
# The body's subject: its article first (le, la, l'), agreeing with its gender.
SUBJ = '    subject: {fr: "la réunion du groupe", gender: feminine, en: "the group meeting"}'
SL = GOOD.split("\n").index(SUBJ) + 1
FC = SUBJ.index('"') + 1             # the column of fr's value
GC = SUBJ.index("feminine") + 1      # the column of gender's value
badprof("subject-article", SUBJ, SUBJ.replace('"la réunion', '"réunion'),
        f"{SL}:{FC}: bodies.groupe.subject.fr : « réunion du groupe » doit commencer par son article : le, la ou l'",
        f"{SL}:{FC}: bodies.groupe.subject.fr: 'réunion du groupe' must start with its article: le, la or l'")
badprof("subject-gender", SUBJ, SUBJ.replace("feminine", "masculine"),
        f"{SL}:{GC}: bodies.groupe.subject.gender : le genre « masculine » ne s'accorde pas avec l'article de « la réunion du groupe »",
        f"{SL}:{GC}: bodies.groupe.subject.gender: gender 'masculine' does not agree with the article of 'la réunion du groupe'")
# A second round's source belongs to a two-round election only (line 79: delegue's sequence).
badprof("second-round-plurality", '        sequence: none\n        article: "RI 6, 4.2"\n        reading',
        '        sequence: none\n        second_round: {stated: true, article: "4.2"}\n        article: "RI 6, 4.2"\n        reading',
        "95:23: bodies.groupe.elections.delegue.second_round : ne s'applique qu'à une élection à deux tours",
        "95:23: bodies.groupe.elections.delegue.second_round: applies to a two_round election only")
badprof("wrong-format", "format: scrutin-profile/1", "format: scrutin-profile/2",
        "4:9: format : « scrutin-profile/1 » attendu, trouvé « scrutin-profile/2 »",
        "4:9: format: expected 'scrutin-profile/1', got 'scrutin-profile/2'")

# A casting vote states its reading of a secret ballot's tie; a rule without one cannot
# (APG: the APROGEMERE profile, read above).
TRIVA = ("format: scrutin-scenario/1\nprofile: aprogemere\nbody: ag\n"
         "meeting: {date: 2024-06-15, convocation: first, convocation_date: 2024-06-10}\nroll: []\nquestions: []\n")
def badprofa(name, old, new, at, msg, msg_en):
    """msg's line: the one holding `at` in the changed profile (the map's first key, or the key)."""
    assert APG.count(old) == 1, old
    text = APG.replace(old, new)
    d = f"{OUT}/profiles-invalid"
    with open(f"{d}/{name}.profile.yaml", "w") as f:
        f.write(text)
    n = [i + 1 for i, l in enumerate(text.split("\n")) if at in l][0]
    sc(f"profiles-invalid/{name}.yaml", None, None, None, None, None, raw=TRIVA,
       err=f"scrutin count: {d}/{name}.profile.yaml:{n}:{msg}",
       err_en=f"scrutin count: {d}/{name}.profile.yaml:{n}:{msg_en}")
badprofa("missing-casting-secret", "        casting_vote_secret: tie_rejects   # as for resolutions\n", "",
         'label: "majorité relative des membres actifs présents"',
         "9: bodies.ag.decisions.voeu : clé « casting_vote_secret » manquante",
         "9: bodies.ag.decisions.voeu: missing key 'casting_vote_secret'")
badprofa("casting-secret-without-casting", "      cooptation:\n        label:",
         "      cooptation:\n        casting_vote_secret: declared\n        label:", "casting_vote_secret: declared",
         "9: bodies.ca.decisions.cooptation.casting_vote_secret : clé inconnue (ou qui ne s'applique pas ici)",
         "9: bodies.ca.decisions.cooptation.casting_vote_secret: unknown key (or a key that does not apply here)")

# A profile saved with a byte order mark loads (its first line a key: a
# comment line there would hide the mark).
with open(f"{OUT}/mines-ales/bom-profile.profile.yaml", "wb") as f:
    f.write(b"\xef\xbb\xbf" + GOOD[GOOD.index("format:"):].encode())
sc("mines-ales/bom-profile.yaml", None, None, None, None, None, raw=TRIV, txt="Aucun quorum n'est requis (art. 4.2).")

print(f"{COUNT} scenarios written")
