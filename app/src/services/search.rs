//! Chinese product search, in memory.
//!
//! Chinese has no spaces, so a query is first cut into words with jieba (辣椒酱, 都匀 / 毛尖);
//! every word must occur in the product (AND). Candidates come from per-character postings and
//! are verified by substring, so a word is found even where the product's own segmentation
//! differs. Ranking prefers a whole word of the title (cut the same way) over a part of one, the
//! title over subtitle / brand / origin, and those over the category and shop names.

use std::collections::HashMap;
use std::sync::OnceLock;

use jieba_rs::Jieba;

/// jieba's dictionary (MIT licence) without the words seen fewer than 5 times in its corpus:
/// 136,547 of 349,045 words, 10 MB of memory instead of 36 MB. A rare word is cut into its
/// parts instead, and search still finds it, since every part must occur in the product.
const DICTIONARY: &str = include_str!("search_dict.txt");

fn jieba() -> &'static Jieba {
    static JIEBA: OnceLock<Jieba> = OnceLock::new();
    JIEBA.get_or_init(|| {
        Jieba::with_dict(&mut DICTIONARY.as_bytes()).expect("the bundled dictionary is valid")
    })
}

/// Loads the dictionary now rather than on the first search.
pub fn warm_up() {
    jieba();
}

/// The searchable text of one product.
#[derive(Debug, Clone)]
pub struct SearchDoc {
    pub id: i64,
    pub title: String,
    pub subtitle: String,
    pub brand: String,
    pub origin: String,
    pub category: String,
    pub shop: String,
}

#[derive(Debug)]
struct Indexed {
    title: String,
    /// subtitle, brand and origin
    detail: String,
    /// category and shop names
    context: String,
    title_words: Vec<String>,
    chars: Vec<char>,
}

#[derive(Debug, Default)]
pub struct SearchIndex {
    docs: HashMap<i64, Indexed>,
    /// product ids containing each character, sorted
    postings: HashMap<char, Vec<i64>>,
}

const TITLE_WORD: u32 = 10;
const TITLE_PART: u32 = 6;
const DETAIL: u32 = 3;
const CONTEXT: u32 = 2;

impl SearchIndex {
    pub fn upsert(&mut self, doc: &SearchDoc) {
        self.remove(doc.id);
        let title = normalize(&doc.title);
        let detail = normalize(&format!("{} {} {}", doc.subtitle, doc.brand, doc.origin));
        let context = normalize(&format!("{} {}", doc.category, doc.shop));
        let title_words = jieba()
            .cut_for_search(&title, true)
            .into_iter()
            .map(|t| t.word.to_string())
            .filter(|w| is_meaningful(w))
            .collect();
        let mut chars: Vec<char> = title
            .chars()
            .chain(detail.chars())
            .chain(context.chars())
            .filter(|c| !c.is_whitespace())
            .collect();
        chars.sort_unstable();
        chars.dedup();
        for c in &chars {
            let list = self.postings.entry(*c).or_default();
            if let Err(at) = list.binary_search(&doc.id) {
                list.insert(at, doc.id);
            }
        }
        self.docs.insert(
            doc.id,
            Indexed {
                title,
                detail,
                context,
                title_words,
                chars,
            },
        );
    }

    pub fn remove(&mut self, id: i64) {
        let Some(old) = self.docs.remove(&id) else {
            return;
        };
        for c in old.chars {
            if let Some(list) = self.postings.get_mut(&c) {
                if let Ok(at) = list.binary_search(&id) {
                    list.remove(at);
                }
                if list.is_empty() {
                    self.postings.remove(&c);
                }
            }
        }
    }

    pub fn len(&self) -> usize {
        self.docs.len()
    }

    pub fn is_empty(&self) -> bool {
        self.docs.is_empty()
    }

    /// Every product matching all words of `query`, with its relevance score (unsorted).
    /// `None` when the query is blank (then the caller lists everything). A query of
    /// punctuation alone (`%`, `'`, `。`) finds what contains it literally, most often nothing.
    pub fn search(&self, query: &str) -> Option<Vec<(i64, u32)>> {
        let mut words = query_words(query);
        if words.is_empty() {
            let literal = normalize(query).trim().to_string();
            if literal.is_empty() {
                return None;
            }
            words.push(literal);
        }
        let mut scores: Option<HashMap<i64, u32>> = None;
        for word in &words {
            let mut found = HashMap::new();
            for id in self.candidates(word) {
                let doc = &self.docs[&id];
                let score = if doc.title_words.iter().any(|w| w == word) {
                    TITLE_WORD
                } else if doc.title.contains(word.as_str()) {
                    TITLE_PART
                } else if doc.detail.contains(word.as_str()) {
                    DETAIL
                } else if doc.context.contains(word.as_str()) {
                    CONTEXT
                } else {
                    continue;
                };
                found.insert(id, score);
            }
            scores = Some(match scores {
                None => found,
                Some(prev) => prev
                    .into_iter()
                    .filter_map(|(id, s)| found.get(&id).map(|f| (id, s + f)))
                    .collect(),
            });
        }
        Some(scores.unwrap_or_default().into_iter().collect())
    }

    /// Products containing every character of `word` (a superset of those containing `word`).
    fn candidates(&self, word: &str) -> Vec<i64> {
        let mut lists: Vec<&Vec<i64>> = Vec::new();
        for c in word.chars().filter(|c| !c.is_whitespace()) {
            match self.postings.get(&c) {
                Some(list) => lists.push(list),
                None => return Vec::new(),
            }
        }
        lists.sort_by_key(|l| l.len());
        let Some((first, rest)) = lists.split_first() else {
            return Vec::new();
        };
        first
            .iter()
            .copied()
            .filter(|id| rest.iter().all(|l| l.binary_search(id).is_ok()))
            .collect()
    }
}

/// The words of a query: lower-cased, cut precisely (辣椒酱 stays one word), punctuation dropped.
pub fn query_words(query: &str) -> Vec<String> {
    let q = normalize(query);
    let mut words: Vec<String> = Vec::new();
    for t in jieba().cut(&q, true) {
        let w = t.word.trim();
        if is_meaningful(w) && !words.iter().any(|x| x == w) {
            words.push(w.to_string());
        }
    }
    words
}

fn normalize(s: &str) -> String {
    s.chars()
        .map(|c| {
            // full-width ASCII (ＡＢＣ１２３) to half-width
            let c = match c as u32 {
                0xFF01..=0xFF5E => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
                0x3000 => ' ',
                _ => c,
            };
            c.to_lowercase().next().unwrap_or(c)
        })
        .collect()
}

fn is_meaningful(w: &str) -> bool {
    w.chars().any(char::is_alphanumeric)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(id: i64, title: &str, subtitle: &str, category: &str, shop: &str) -> SearchDoc {
        SearchDoc {
            id,
            title: title.into(),
            subtitle: subtitle.into(),
            brand: String::new(),
            origin: "贵州·遵义".into(),
            category: category.into(),
            shop: shop.into(),
        }
    }

    fn index() -> SearchIndex {
        let mut ix = SearchIndex::default();
        ix.upsert(&doc(
            1,
            "遵义虾子朝天椒油辣椒酱 280g",
            "香辣下饭",
            "辣椒酱",
            "遵义辣椒酱坊",
        ));
        ix.upsert(&doc(
            2,
            "都匀毛尖 明前特级绿茶 250g礼盒装",
            "",
            "绿茶",
            "都匀毛尖茶庄",
        ));
        ix.upsert(&doc(
            3,
            "糍粑辣椒 手工舂制",
            "可做辣椒酱的底料",
            "干货调料",
            "遵义辣椒酱坊",
        ));
        ix.upsert(&doc(4, "苗族蜡染围巾", "", "蜡染", "丹寨苗族蜡染"));
        ix
    }

    fn ranked(ix: &SearchIndex, q: &str) -> Vec<i64> {
        let mut hits = ix.search(q).unwrap();
        hits.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        hits.into_iter().map(|(id, _)| id).collect()
    }

    #[test]
    fn words_find_products_and_titles_rank_first() {
        let ix = index();
        assert_eq!(ranked(&ix, "辣椒酱"), vec![1, 3]);
        assert_eq!(ranked(&ix, "毛尖"), vec![2]);
        // a query without spaces is cut into words, each of which must match
        assert_eq!(ranked(&ix, "贵州辣椒酱"), vec![1, 3]);
        assert_eq!(ranked(&ix, "都匀绿茶"), vec![2]);
        assert!(ranked(&ix, "红茶").is_empty());
        assert_eq!(ranked(&ix, "２５０Ｇ"), vec![2]);
        // punctuation alone is searched literally, not "everything"
        assert_eq!(ix.search("  ，。 "), Some(Vec::new()));
    }

    #[test]
    fn punctuation_alone_finds_only_what_contains_it() {
        let mut ix = index();
        for q in ["%", "'", "_", "*", "。", "\"", "%%"] {
            assert_eq!(
                ranked(&ix, q),
                Vec::<i64>::new(),
                "{q:?} matches nothing here"
            );
        }
        ix.upsert(&doc(9, "100% 纯苹果汁", "", "果汁", "苹果园"));
        assert_eq!(ranked(&ix, "%"), vec![9]);
        assert_eq!(ix.search("  "), None, "a blank query lists everything");
    }

    #[test]
    fn removed_and_changed_products_leave_the_index() {
        let mut ix = index();
        ix.remove(2);
        assert!(ranked(&ix, "毛尖").is_empty());
        ix.upsert(&doc(1, "朝天椒", "", "干货调料", "小店"));
        assert_eq!(ranked(&ix, "辣椒酱"), vec![3]);
        assert_eq!(ix.len(), 3);
    }
}
