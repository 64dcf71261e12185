//! One way to page a list, for the pages and the API alike: the page asked for, read once with
//! its limits, giving SQL's OFFSET and LIMIT, the number of pages, and the API's `Page`.

use serde::Deserialize;

use super::AppError;
use super::api::Page;
use super::extract::{Param, Whole, deserialize_as_param};

/// The deepest item a paged list reaches by page number: past it, narrow the filters or take
/// the whole export. Skipping a million search matches to show two hundred costs seconds.
pub const DEEPEST_ITEM: i64 = 10_000;

/// The deepest match a search reaches by page number: up to here its best matches come from
/// the search index alone; past it every match is ranked, which at 200,000 predictions took
/// two seconds a page for a common word.
pub const DEEPEST_MATCH: i64 = crate::db::predictions::BEST_FIRST_UP_TO;

/// A page number as asked for: a whole number from 1.
#[derive(Debug, Clone, Copy)]
pub struct PageNumber(i64);

impl Param for PageNumber {
    fn parse(text: &str) -> Result<Self, String> {
        match text.parse::<i64>() {
            Ok(page) if page >= 1 => Ok(Self(page)),
            _ => Err(format!(
                "\u{201c}{text}\u{201d} is not a page number: use a whole number from 1."
            )),
        }
    }
}
deserialize_as_param!(PageNumber);

/// `page` alone: the pages that set how many items a page holds.
#[derive(Deserialize)]
pub struct PageQuery {
    pub page: Option<PageNumber>,
}

/// `page` (from 1) and `per_page` (1 to 200, default 50): the API's lists.
#[derive(Deserialize)]
pub struct PerPageQuery {
    pub page: Option<PageNumber>,
    pub per_page: Option<Whole<1, 200>>,
}

impl PerPageQuery {
    pub fn per_page(&self) -> i64 {
        self.per_page.map_or(50, |n| i64::from(n.0))
    }
}

/// One page of a list: which, and how many items a page holds.
#[derive(Debug, Clone, Copy)]
pub struct Paging {
    pub page: i64,
    pub per_page: i64,
}

impl Paging {
    /// The page `asked` for (the first when absent) of a list of `per_page` items a page that
    /// reaches no deeper than `deepest` items by page number.
    pub fn within(
        asked: Option<PageNumber>,
        per_page: i64,
        deepest: i64,
    ) -> Result<Self, AppError> {
        let page = asked.map_or(1, |PageNumber(page)| page);
        let last = Self::last_page(per_page, deepest);
        if page > last {
            return Err(AppError::bad_parameter(
                "page",
                format!(
                    "Pages stop at {last} (the first {deepest} items): narrow the list with its filters (analysts can download everything from /export.json)."
                ),
            ));
        }
        Ok(Self { page, per_page })
    }

    /// Page `page` of `per_page` items, from a list held in memory, where any depth is cheap.
    pub fn at(page: i64, per_page: i64) -> Self {
        Self { page, per_page }
    }

    /// The last page a list of `per_page` items a page reaches, `deepest` items in all.
    pub fn last_page(per_page: i64, deepest: i64) -> i64 {
        (deepest / per_page.max(1)).max(1)
    }

    /// SQL's LIMIT.
    pub fn limit(self) -> i64 {
        self.per_page
    }

    /// SQL's OFFSET: how many items come before this page.
    pub fn offset(self) -> i64 {
        (self.page - 1).saturating_mul(self.per_page)
    }

    /// How many pages `total` items fill; one when there are none.
    pub fn pages(self, total: i64) -> i64 {
        ((total + self.per_page - 1) / self.per_page.max(1)).max(1)
    }

    /// The links under an HTML list of `total` items at `address`.
    pub fn pager(self, total: i64, address: &'static str) -> Pager {
        Pager {
            page: self.page,
            pages: self.pages(total),
            address,
        }
    }

    /// This page's `rows` for the API, of a list that holds `total` items.
    pub fn of<T, U: From<T>>(self, rows: Vec<T>, total: i64) -> Page<U> {
        Page {
            items: rows.into_iter().map(U::from).collect(),
            page: u32::try_from(self.page).unwrap_or(1),
            per_page: u32::try_from(self.per_page).unwrap_or(1),
            total,
            more: false,
        }
    }
}

/// The page links under an HTML list (`_pager.html`): this page, how many there are, and the
/// address of another.
pub struct Pager {
    pub page: i64,
    pub pages: i64,
    address: &'static str,
}

impl Pager {
    pub fn link(&self, page: i64) -> String {
        format!("{}?page={page}", self.address)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_stop_at_the_deepest_item() {
        assert_eq!(Paging::last_page(25, DEEPEST_ITEM), 400);
        assert!(Paging::within(Some(PageNumber(400)), 25, DEEPEST_ITEM).is_ok());
        assert!(Paging::within(Some(PageNumber(401)), 25, DEEPEST_ITEM).is_err());
        let paging = Paging::within(None, 25, DEEPEST_ITEM).unwrap();
        assert_eq!((paging.page, paging.offset(), paging.pages(0)), (1, 0, 1));
        assert_eq!(Paging::at(3, 25).offset(), 50);
        assert_eq!(Paging::at(1, 25).pages(51), 3);
    }

    #[test]
    fn a_page_number_is_a_whole_number_from_one() {
        assert!(PageNumber::parse("0").is_err());
        assert!(PageNumber::parse("x").is_err());
        assert_eq!(PageNumber::parse("7").map(|p| p.0), Ok(7));
    }
}
