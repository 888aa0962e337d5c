"""A digest of a named graph that a SPARQL store computes itself: one query, no quads sent back.

    query(graphs)     SELECT ?g ?d: for each graph listed, the sum over its quads of a number taken
                      from the MD5 of the quad's terms (the first DIGITS hex digits of MD5 of subject,
                      predicate, object, language or datatype)
    parse(rows)       {graph: digest}

A sum does not depend on the order quads are read in, so the release's embedded store and a remote
store give the same number for the same quads; a quad lost, added or changed changes it (but for one
chance in 16**DIGITS). SPARQL has no function from hex to a number: each digit is its position in
"0123456789abcdef" (STRBEFORE, STRLEN), all SPARQL 1.1. A blank node counts as "_:" (stores rename
them), so a digest tells graphs apart by their IRIs and literals. Written by hand: no library computes
a digest inside a SPARQL store.
"""

from __future__ import annotations

#: Hex digits of the MD5 taken for each quad: 24 bits, so a sum over 100 million quads stays within
#: a 64-bit integer (Virtuoso's).
DIGITS = 6
XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


def _term(var: str) -> str:
    return f'IF(isBLANK({var}), "_:", STR({var}))'


def _number(md5: str) -> str:
    expr = "0"
    for i in range(1, DIGITS + 1):
        expr = f'({expr} * 16 + STRLEN(STRBEFORE("0123456789abcdef", SUBSTR({md5}, {i}, 1))))'
    return expr


def query(graphs: list[str]) -> str:
    values = " ".join(f"<{g}>" for g in graphs)
    kind = (f'IF(isLITERAL(?o), IF(LANG(?o) != "", CONCAT("@", LCASE(LANG(?o))), '
            f'COALESCE(STR(DATATYPE(?o)), "{XSD_STRING}")), "")')
    return (f"SELECT ?g (SUM(?h) AS ?d) WHERE {{ VALUES ?g {{ {values} }} GRAPH ?g {{ ?s ?p ?o }}\n"
            f'  BIND(MD5(CONCAT({_term("?s")}, " ", STR(?p), " ", {_term("?o")}, " ", {kind})) AS ?m)\n'
            f"  BIND({_number('?m')} AS ?h) }} GROUP BY ?g")


def parse(rows: list[dict[str, str]]) -> dict[str, int]:
    return {r["g"]: int(float(r["d"])) for r in rows if "d" in r}
