"""Chinese full-text matching: jieba segmentation and a small BM25 scorer.

Expert recommendation and the similar-demand search both compare a farmer's words with stored texts. jieba loads its
dictionary in about a second, so it is initialised once per process (lazily, under a lock, with its cache file under
settings.VAR_DIR) and never per request. Stored texts are segmented once, when saved, and kept as space-joined tokens
(`Expert.expertise_tokens`), so a query segments only the farmer's words.
"""

from __future__ import annotations

import logging
import math
import threading
from collections import Counter
from collections.abc import Hashable, Iterable
from pathlib import Path

import jieba
from django.conf import settings

#: Words that carry no meaning for matching: particles, pronouns and the question words farmers start with.
_STOP_TEXT = """
的 了 和 与 及 或 是 在 有 没有 我 我们 你 你们 他 她 它 这 那 这个 那个 个 一 一个 一下 也 就 都 又 还 很 太 把 被
对 从 到 给 让 为 为了 吗 呢 啊 吧 呀 么 怎么 怎么办 怎样 如何 什么 哪些 为什么 请问 请 问题 需要 想 能 可以 要 会 不
the a an and or of to in on for is are be how what with my our
"""
STOP_WORDS = frozenset(_STOP_TEXT.split())

_lock = threading.Lock()
_tokenizer: jieba.Tokenizer | None = None


def tokenizer() -> jieba.Tokenizer:
    """The process's one jieba tokenizer, its dictionary loaded on first use (cache under VAR_DIR)."""
    global _tokenizer
    if _tokenizer is None:
        with _lock:
            if _tokenizer is None:
                jieba.setLogLevel(logging.WARNING)
                instance = jieba.Tokenizer()
                cache_dir = Path(settings.VAR_DIR) / "jieba"
                cache_dir.mkdir(parents=True, exist_ok=True)
                instance.tmp_dir = str(cache_dir)
                instance.initialize()
                _tokenizer = instance
    return _tokenizer


def tokens(text: str) -> list[str]:
    """The words of `text` for matching: search-mode segmentation (河蟹养殖 → 河蟹, 养殖, 河蟹养殖 …), lowercased,
    without stop words, punctuation and whitespace; English words and numbers are kept."""
    if not text:
        return []
    words = (word.strip().lower() for word in tokenizer().lcut_for_search(text))
    return [word for word in words if word and word not in STOP_WORDS and any(ch.isalnum() for ch in word)]


def joined_tokens(text: str) -> str:
    """The tokens of `text` as one space-joined string, the form stored on a model."""
    return " ".join(tokens(text))


def bm25_scores(
    query_tokens: Iterable[str], documents: dict[Hashable, list[str]], k1: float = 1.5, b: float = 0.75
) -> dict[Hashable, float]:
    """Okapi BM25 score of each document for the query; documents sharing no query word score 0.

        score(D, Q) = Σ_{q ∈ Q} idf(q) · f(q, D) · (k1 + 1) / (f(q, D) + k1 · (1 − b + b · |D| / avgdl))
        idf(q)      = ln(1 + (N − n(q) + 0.5) / (n(q) + 0.5))

    f(q, D) is how often q occurs in D, |D| the document's length in tokens, avgdl the mean length over the
    documents given, N their number and n(q) how many contain q. The "+1" inside the logarithm keeps idf positive
    even for a word in most documents. k1 damps repeated words; b scales the length normalisation.
    """
    query = list(dict.fromkeys(query_tokens))
    if not documents:
        return {}
    counts = {key: Counter(words) for key, words in documents.items()}
    lengths = {key: len(words) for key, words in documents.items()}
    total = len(documents)
    avgdl = (sum(lengths.values()) / total) or 1.0
    idf = {}
    for word in query:
        containing = sum(1 for counter in counts.values() if word in counter)
        idf[word] = math.log(1 + (total - containing + 0.5) / (containing + 0.5))
    scores = {}
    for key, counter in counts.items():
        norm = k1 * (1 - b + b * lengths[key] / avgdl)
        score = 0.0
        for word in query:
            frequency = counter.get(word, 0)
            if frequency:
                score += idf[word] * frequency * (k1 + 1) / (frequency + norm)
        scores[key] = score
    return scores
