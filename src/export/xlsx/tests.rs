//! The workbook read back: constant-memory mode writes what the in-memory mode writes, and
//! a sheet past the row limit continues on another with a note opening the workbook.

use super::*;
use crate::demo::DemoSpec;
use calamine::{Data, Reader, Xlsx, open_workbook};

/// A session on a small demo: both model versions, gaps and actions.
fn session() -> Session {
    crate::app::exchange::demo_session(&DemoSpec {
        facilities: 4,
        years: 4,
        from_year: 2015,
        seed: 3,
    })
}

/// Every sheet's name and cells, in workbook order.
fn read(path: &Path) -> Vec<(String, Vec<Vec<Data>>)> {
    let mut book: Xlsx<_> = open_workbook(path).unwrap();
    book.sheet_names()
        .into_iter()
        .map(|name| {
            let range = book.worksheet_range(&name).unwrap();
            let rows = range.rows().map(|r| r.to_vec()).collect();
            (name, rows)
        })
        .collect()
}

fn written(s: &Session, layout: Layout, dir: &Path, name: &str) -> Vec<(String, Vec<Vec<Data>>)> {
    let path = dir.join(name);
    write_with(s, &Selection::All, &path, layout).unwrap();
    read(&path)
}

#[test]
fn constant_memory_writes_what_memory_writes() {
    let s = session();
    let dir = tempfile::tempdir().unwrap();
    let in_memory = Layout {
        constant_memory: false,
        ..Layout::default()
    };
    let kept = written(&s, in_memory, dir.path(), "memory.xlsx");
    let streamed = written(&s, Layout::default(), dir.path(), "streamed.xlsx");
    let names: Vec<&str> = streamed.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(
        names[..2],
        ["Oversigt socialtilsyn-2014", "Oversigt socialtilsyn-2017"]
    );
    assert_eq!(names.last(), Some(&"Udviklingspunkter"));
    // 16 assessments over the two summary sheets, every one with its number
    let summaries: usize = streamed[..2].iter().map(|(_, rows)| rows.len() - 1).sum();
    assert_eq!(summaries, 16);
    let gaps = streamed
        .iter()
        .find(|(n, _)| n == "Huller og udviklingspunkter");
    assert!(
        gaps.is_some_and(|(_, rows)| rows.len() > 1),
        "the demo has gaps"
    );
    assert!(
        streamed.iter().all(|(_, rows)| !rows.is_empty()),
        "every sheet has its header"
    );
    assert_eq!(kept.len(), streamed.len());
    for ((name, a), (_, b)) in kept.iter().zip(&streamed) {
        assert_eq!(a.len(), b.len(), "{name}: rows");
        for (r, (ra, rb)) in a.iter().zip(b).enumerate() {
            assert_eq!(ra, rb, "{name}: row {r}");
        }
    }
}

#[test]
fn a_sheet_past_the_row_limit_continues_with_a_note_first() {
    let s = session();
    let dir = tempfile::tempdir().unwrap();
    let whole = written(&s, Layout::default(), dir.path(), "whole.xlsx");
    let limit = 30;
    let small = Layout {
        rows_per_sheet: limit,
        ..Layout::default()
    };
    let split = written(&s, small, dir.path(), "split.xlsx");
    let (note, rows) = &split[0];
    assert_eq!(note, "Bemærk", "the note opens the workbook");
    let text = rows[0][0].to_string();
    assert!(
        text.contains("flere rækker") && text.contains("30"),
        "{text}"
    );
    assert!(
        split.iter().all(|(_, r)| r.len() as u32 <= limit),
        "no sheet over the limit"
    );
    // each sheet of the whole workbook: its rows, in order, over its first sheet and the ones
    // continuing it, each under the same header; the note names the continuations
    let listed: Vec<Vec<String>> = rows
        .iter()
        .skip(3)
        .map(|r| {
            r.iter()
                .map(|c| c.to_string())
                .filter(|c| !c.is_empty())
                .collect()
        })
        .collect();
    let mut continued = 0;
    for (name, all) in &whole {
        let mut names = vec![name.clone()];
        if let Some(l) = listed.iter().find(|l| l[0] == *name) {
            names.extend(l[1..].iter().cloned());
        }
        let parts: Vec<&Vec<Vec<Data>>> = names
            .iter()
            .map(|n| {
                &split
                    .iter()
                    .find(|(m, _)| m == n)
                    .expect("listed sheet exists")
                    .1
            })
            .collect();
        assert!(
            parts.iter().all(|p| p[0] == all[0]),
            "{name}: header on every part"
        );
        let data: Vec<&Vec<Data>> = parts.iter().flat_map(|p| p.iter().skip(1)).collect();
        let expected: Vec<&Vec<Data>> = all.iter().skip(1).collect();
        assert_eq!(data.len(), expected.len(), "{name}: as many rows");
        for (r, (d, e)) in data.iter().zip(&expected).enumerate() {
            assert_eq!(d, e, "{name}: row {r}");
        }
        if parts.len() > 1 {
            continued += 1;
            assert!(names[1].ends_with(" (2)"), "{name} continues on {names:?}");
        }
    }
    assert!(continued >= 3, "the theme sheets are split");
    let sheets = whole.len() + listed.iter().map(|l| l.len() - 1).sum::<usize>() + 1;
    assert_eq!(
        split.len(),
        sheets,
        "no sheet but the note and the listed ones"
    );
}
