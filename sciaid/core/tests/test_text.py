"""Chinese segmentation and BM25 ranking, on agricultural text where the right answer is known."""

from sciaid.core.text import bm25_scores, tokenizer, tokens


def test_tokens_segment_agricultural_chinese():
    words = tokens("河蟹养殖水质调控")
    assert {"河蟹", "养殖", "水质"} <= set(words)


def test_tokens_drop_stop_words_and_punctuation_but_keep_english():
    words = tokens("请问，小麦赤霉病怎么办？用 Tebuconazole 可以吗！")
    assert "小麦" in words and "赤霉病" in words
    assert "tebuconazole" in words
    assert not {"请问", "怎么办", "，", "？", "！", "可以", "吗"} & set(words)


def test_the_tokenizer_is_initialised_once_per_process():
    assert tokenizer() is tokenizer()
    assert tokenizer().initialized


def test_bm25_ranks_the_matching_document_first():
    corpus = {
        "crab": tokens("河蟹生态养殖，蟹塘水草种植与水质调控"),
        "pig": tokens("生猪规模化养殖，非洲猪瘟防控"),
        "wheat": tokens("小麦高产栽培，赤霉病防治"),
        "fish": tokens("池塘鱼类养殖，鱼病防治"),
    }
    scores = bm25_scores(tokens("河蟹养殖水质变差怎么办"), corpus)
    assert max(scores, key=scores.get) == "crab"
    assert scores["wheat"] == 0
    # "养殖" is shared, so the other breeders score above zero but below the crab expert.
    assert 0 < scores["pig"] < scores["crab"]


def test_bm25_rewards_rare_words_and_damps_long_documents():
    corpus = {"short": ["河蟹", "养殖"], "long": ["河蟹", "养殖", *["其他"] * 30], "none": ["小麦"]}
    scores = bm25_scores(["河蟹"], corpus)
    assert scores["short"] > scores["long"] > scores["none"] == 0
    assert bm25_scores(["河蟹"], {}) == {}
