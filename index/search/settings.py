"""Every knob of the search pipeline in one frozen object, each with the reason for its value.

`minutes eval` prints the settings beside its figures; `Settings.ablations()` turns each signal off in
turn, so what each buys is measured rather than asserted. The keyword-only and dense-only baselines are
settings of the same pipeline, not a separate code path.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, fields, replace


@dataclass(frozen=True)
class Settings:
    # -- candidates ------------------------------------------------------------------------------
    dense: bool = True                # FAISS over chunk vectors
    keyword: bool = True              # BM25 over chunk text and header
    keyword_engine: str = "tantivy"   # the keyword cache (index/keywords.py); "fts5": SQLite's own, read in the store
    keyword_exact: int = 150          # the engine's head scored again as FTS5 scores it (the ranks that count)
    candidates: int = 50              # each ranking's head; their union holds the answer for ~99% of gold questions
    keyword_pool: int = 1000          # BM25 scores of candidates the keyword head missed come from this deeper pool
    max_inline_ids: int = 30000       # a filter of fewer chunk ids goes inside the FTS5 query; more, afterwards
    bm25_text_weight: float = 1.0
    bm25_header_weight: float = 0.4   # the header repeats on every chunk of an item: it names, it rarely answers
    # With the chunks in a search engine (--store milvus:...), which BM25 scores its candidates carry into the
    # ranking: "ledger", the store's FTS5 over just those chunks, as the ranking was tuned (the gold sets within
    # 2 points of sqlite); "engine", the engine's own BM25 (one field, its tokenizer: sample hit@1 4 points lower).
    engine_keyword_scores: str = "ledger"
    # -- ranking ---------------------------------------------------------------------------------
    rrf_k: int = 10                   # a small k lets the head of each ranking count: both cover the same candidates
    answer_ranking: bool = True       # a third ranking: each passage by the best answering sentence it holds
    answer_ranking_weight: float = 1.0  # its weight in the fusion
    answer_ranking_skip: tuple[str, ...] = ("summary", "other")  # asked for the gist, or for no kind of thing
    sentence_vectors: bool = True     # a passage's dense score adds its best sentence's similarity
    dates: bool = True                # months, periods and financial years the question names favour their meetings
    reporting_lag_months: int = 2     # a month's figures are reported at the meetings up to two months after it
    period_boost: float = 1.0         # × the top RRF score, for a single named month
    period_boost_quarter: float = 0.7  # for a named stretch of up to six months
    period_boost_year: float = 0.5    # for a longer one (a year)
    date_text_boost: float = 1.0      # a passage naming the very day the question names
    financial_year_boost: float = 0.7  # a passage naming the "2023/24" the question names
    latest: bool = True               # "latest", "current": the most recent of the passages that answer about as well
    latest_boost: float = 2.0         # × the top RRF score, for the latest of them
    latest_quote_only: bool = True   # ... and the quote comes from that latest passage alone
    latest_band: float = 0.7          # within this share of the best score, a passage counts as answering as well
    latest_cover_band: float = 0.4    # ... or within this share, when it holds every word the question asks about
    latest_span_share: float = 0.7    # ... and its best span must fit at least this share of the best span's fit
    latest_cover_share: float = 0.5   # ... or this share, when it holds every word the question asks about
    meetings: bool = True             # the body, place, series or meeting a question names ranks its passages first
    meeting_boost: float = 1.0        # × the top RRF score, for passages of the meetings the question names
    meeting_min_idf: float = 1.0      # a word of a meeting's name must single out fewer than ~1/e of the meetings
    meeting_scope: float = 0.99       # meetings named at least this surely are searched again on their own ...
    meeting_outer_weight: float = 1.0  # the plain rankings' weight beside the rankings inside named meetings
    scope_exact_max: int = 2_000      # ... each of their chunks scored, up to this many; past it, and past ...
    scope_filter_ratio: float = 4.0   # ... this many times what filtering would read (a filtered hit costs more than a scored chunk):
    scope_depth: float = 4.0          # ... the whole index's rankings, deep enough for this many times the candidates
    scope_path: str = "auto"          # "auto": the cheaper of the two; "exact" or "filter" forces one (tests, ablation)
    meeting_requery: bool = True      # the keyword ranking inside them asked anew by topic (the pool's order is led by the naming words)
    meeting_topic: bool = True        # ... by what the question asks about, without the words naming the meeting
    meeting_described: bool = True    # "the meeting that co-opted the new councillor": the meeting of the passage that best says so
    meeting_described_share: float = 0.5  # ... among the meetings a generic word names, a passage this share as good
    learned: bool = False             # rank by the learned model (index/search/ranker.txt) instead of the hand-set sum ...
    learned_not_latest: bool = True   # ... but for questions asking how things stand now
    rank_pool: int = 20               # fused candidates read from the store and ranked (at least 4 × top_k)
    near_duplicate: float = 0.5       # passages of one meeting overlapping more than this share are one passage
    # -- the answer ------------------------------------------------------------------------------
    structure: bool = True            # business of a meeting (motions, votes, attendance ...) answered from facts
    roles: bool = True                # "Who is the CC?" answered from the attendance table of the meeting meant
    fact_meeting: float = 1.0         # a fact of a meeting the question names ...
    fact_coverage: float = 1.0        # ... stating every kind asked for (mover and seconder) ...
    fact_topic: float = 1.0           # ... whose words are the question's topic ...
    fact_context: int = 300           # characters before a motion read as its context (the item it decides)
    fact_topic_own: float = 0.5       # ... above all in its own lines ...
    fact_action_fit: float = 0.3      # a task shares at least this share of the words of the task asked about
    fact_person: float = 1.0          # ... naming the person the question names ...
    fact_passage: float = 0.5         # ... in a passage the search ranks high ...
    fact_latest: float = 0.5          # ... of the latest meeting, when none is named, is the answer
    fact_now: float = 2.0             # ... and decides, asked of a meeting without a date
    fact_complete: bool = True        # a fact's quote takes the adjacent sentences holding words it lacks ...
    fact_quote_max: int = 400         # ... up to this many characters
    fact_next_line_max: int = 160     # a next meeting's quote takes the line after it saying what it will take, if shorter
    fact_meetings_max: int = 200      # motions weighed in at most this many meetings (those found, then the latest)
    fact_min: float = 0.5             # below this a fact answers too little of the question: passages answer
    fact_silence: bool = True         # "why did X send apologies?" of minutes recording X's apology without a reason, "who
                                      # seconded?" of minutes recording movers and never a seconder: no answer ...
    fact_silence_meetings: int = 3    # ... the second only of a question naming at most this many meetings
    later: bool = True                # say what a later meeting of the series says on the topic ...
    later_band: float = 0.6           # ... when its passage scores at least this share of the quoted one's
    history: bool = True              # a figure's history across the meetings of the series ...
    history_band: float = 0.4         # ... from passages scoring at least this share of the quoted one's ...
    history_min_points: int = 3       # ... shown only when at least this many meetings report it
    answer_from: int = 3              # the quote is taken from the top passages only
    lead_with_answer: bool = True     # the passage the quote is taken from is listed first
    min_dense: float = 0.30           # below both this cosine and min_coverage of the question's words,
    min_coverage: float = 0.5         # the best passage shares too little with the question to be quoted
    span_kind_required: tuple[str, ...] = ("number",)  # asked for these kinds of thing, a quote holding none is no answer ...
    span_kind_share: float = 0.8      # ... unless a span fitting at least this share as well holds one
    span_reason_share: float = 0.5    # asked why, a span giving a reason and fitting this share as well is quoted instead
    span_reason_sim_share: float = 0.6  # ... as like the question as this share of the first pick
    span_reason_overlap_share: float = 0.3  # ... and holding some of its words, at least this share of the pick's
    span_min_sim: float = 0.40        # a span below this cosine with the question ...
    span_min_overlap: float = 0.2     # ... holding less than this share of its words is no answer
    span_unnamed_factor: float = 0.7  # × for a span naming none of the people or roles the question names ...
    span_context_chars: int = 200     # ... in it or in this many characters before it
    span_base: float = 0.35           # a sentence's fit where no sentence vector is stored
    span_type_bonus: float = 1.25     # × for a sentence holding what the question asks for (a number, a date ...)
    span_type_miss: float = 1.0       # × for one without it
    span_period_miss: float = 0.8    # × asked of a year or a financial year, for a span dated to others only
    span_count_miss: float = 0.7     # × asked how many of a thing, for a span that does not name the thing
    span_thing_miss: float = 0.7     # × asked "what is the X", for a span that does not name X
    span_done_bonus: float = 1.25     # × asked whether something is done, for a sentence saying it was completed
    span_reason_bonus: float = 1.25   # × asked why, for a sentence giving a reason ("because", "REASONS FOR DECISION:")
    span_unit_miss: float = 0.5       # × asked for a share or a sum, for a figure in another unit
    span_no_one_factor: float = 0.7   # × asked "who", for one naming nobody but those the question names
    span_passage_power: float = 1.0   # a passage's relevance (score ÷ the best's) counts to this power
    learned_span: bool = False        # the span chosen by the learned model (index/search/span_model.txt)
    span_complete: bool = True        # the quote takes adjacent sentences holding words of the question it lacks ...
    span_quote_max: int = 300         # ... up to this many characters
    span_pair_factor: float = 0.85    # × for two adjacent sentences: one answers more shortly when it can
    span_short_chars: int = 25        # shorter sentences are fragments ...
    span_short_factor: float = 0.6    # ... and count for this much
    span_reply_factor: float = 1.0    # × for a member's question as reported and the reply after it, quoted together
    span_asked_factor: float = 0.6    # × for a member's question as reported ("X asked whether ..."): the reply answers
    span_tabled_factor: float = 0.7   # × for a line that puts a paper before the meeting ("Circulated, report of ...")
    span_heading_factor: float = 0.5  # × for a line that looks like a heading: a heading names a topic

    def describe(self) -> dict:
        return asdict(self)

    def with_(self, **changes) -> "Settings":
        return replace(self, **changes)

    @classmethod
    def baseline(cls, name: str) -> "Settings":
        """'hybrid' (the product), 'keyword' or 'dense': one ranking alone, nothing added to it."""
        if name == "hybrid":
            return cls()
        bare = dict(sentence_vectors=False, dates=False, latest=False, meetings=False, structure=False, roles=False,
                    learned=False)
        if name == "keyword":
            return cls(dense=False, **bare)
        if name == "dense":
            return cls(keyword=False, **bare)
        raise ValueError(f"unknown baseline {name!r}: hybrid, keyword or dense")

    def ablations(self) -> dict[str, "Settings"]:
        """The product with one signal off at a time, named by the signal."""
        # A switch that only qualifies another one that is off changes nothing turned off.
        moot = {"learned_not_latest"} if not self.learned else set()
        switches = [f.name for f in fields(self) if f.type in ("bool", bool) and getattr(self, f.name)
                    and f.name not in moot]
        return {f"no {name.replace('_', ' ')}": replace(self, **{name: False}) for name in switches}


DEFAULT = Settings()
