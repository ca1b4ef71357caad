//! TUI timing on the large demo ledger: start to first frame, start to the
//! full overview, and the handling time per key (handle + draw at 80×24)
//! for list movement and for filtering, as p50 / p99.
//! Targets (issue 5): first frame < 300 ms, p99 per key < 16 ms.
//!
//! Run: cargo bench --bench tui   (DJTZ_BENCH_DB=path reuses a ledger)

use std::time::{Duration, Instant};

use djtz::store::Store;
use djtz::tui::app::App;
use djtz::tui::event::{Input, Key};
use ratatui::Terminal;
use ratatui::backend::TestBackend;

type R = Result<(), Box<dyn std::error::Error>>;

fn pct(v: &mut [Duration], p: f64) -> Duration {
    v.sort();
    let i = ((v.len() as f64 - 1.0) * p).round() as usize;
    v.get(i).copied().unwrap_or_default()
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn timed(
    app: &mut App,
    term: &mut Terminal<TestBackend>,
    keys: &[Key],
) -> Result<Vec<Duration>, Box<dyn std::error::Error>> {
    let mut out = Vec::with_capacity(keys.len());
    for k in keys {
        let t = Instant::now();
        app.handle(Input::Key(*k));
        term.draw(|f| app.draw(f))?;
        out.push(t.elapsed());
    }
    Ok(out)
}

fn report(name: &str, mut v: Vec<Duration>) {
    let p50 = pct(&mut v, 0.5);
    let p99 = pct(&mut v, 0.99);
    let max = v.last().copied().unwrap_or_default();
    println!(
        "{name:<28} keys {:>5}  p50 {:>7.2} ms  p99 {:>7.2} ms  max {:>7.2} ms  {}",
        v.len(),
        ms(p50),
        ms(p99),
        ms(max),
        if p99 < Duration::from_millis(16) {
            "ok"
        } else {
            "OVER 16 ms"
        }
    );
}

fn main() -> R {
    let dir = tempfile::tempdir()?;
    let path = match std::env::var_os("DJTZ_BENCH_DB") {
        Some(p) => std::path::PathBuf::from(p),
        None => {
            let p = dir.path().join("large.db");
            let mut s = Store::open(&p)?;
            let t = Instant::now();
            let today = chrono::Local::now().date_naive();
            djtz::demo::fill(
                &mut s,
                djtz::demo::Scale::Large,
                1,
                &mut |_l: &str| {},
                today,
            )?;
            println!(
                "large demo ledger built in {:.1} s",
                t.elapsed().as_secs_f64()
            );
            p
        }
    };
    let today = chrono::Local::now().date_naive();

    // Start: open, daily backup check, first frame (before anything heavy).
    let t0 = Instant::now();
    let store = Store::open(&path)?;
    let mut app = App::new(store, today);
    app.size = (80, 24);
    let mut term = Terminal::new(TestBackend::new(80, 24))?;
    term.draw(|f| app.draw(f))?;
    let first = t0.elapsed();
    app.load();
    term.draw(|f| app.draw(f))?;
    let ready = t0.elapsed();
    // The figures come from the worker thread; the overview is full once
    // they are in.
    app.settle();
    term.draw(|f| app.draw(f))?;
    let full = t0.elapsed();
    println!(
        "start to first frame          {:>8.2} ms  {}",
        ms(first),
        if first < Duration::from_millis(300) {
            "ok"
        } else {
            "OVER 300 ms"
        }
    );
    println!(
        "start to overview (keys work) {:>8.2} ms  (names loaded, figures asked for)",
        ms(ready)
    );
    println!(
        "start to full overview        {:>8.2} ms  (report::compute in the worker thread)",
        ms(full)
    );

    for (digit, name) in [('2', "单位"), ('4', "党员")] {
        timed(&mut app, &mut term, &[Key::Char(digit)])?;
        let mut moves = vec![Key::Down; 300];
        moves.extend(vec![Key::PageDown; 30]);
        moves.extend(vec![Key::Up; 100]);
        moves.extend([Key::End, Key::Home]);
        moves.extend(vec![Key::PageUp; 5]);
        let v = timed(&mut app, &mut term, &moves)?;
        report(&format!("{name} list movement"), v);
        let mut typing = vec![Key::F(3)];
        for q in ["xhq", "zhang", "张", "wang", "cq"] {
            typing.extend(q.chars().map(Key::Char));
            typing.extend(std::iter::repeat_n(Key::Backspace, q.chars().count()));
        }
        typing.push(Key::Esc);
        let v = timed(&mut app, &mut term, &typing)?;
        report(&format!("{name} filter typing"), v);
    }
    form_typing(&mut app, &mut term)?;
    work_screens(&mut app, &mut term, today)?;
    Ok(())
}

/// Typing into a new member's form at 8 keys a second by the app's clock
/// (issue 11, point 14: a draft each half second of typing, about every
/// fourth key, handed to the drafts worker, which writes it meanwhile; the
/// look at the ledger every 2 s is in too), then leaving it without saving.
fn form_typing(app: &mut App, term: &mut Terminal<TestBackend>) -> R {
    timed(app, term, &[Key::Char('4'), Key::F(5)])?;
    let mut typing = Vec::new();
    for round in 0..20 {
        typing.extend("王建国张卫东".chars().map(Key::Char));
        typing.extend([Key::Backspace, Key::Backspace]);
        if round % 5 == 4 {
            typing.extend([Key::Tab, Key::BackTab]);
        }
    }
    let mut at = Instant::now();
    let mut v = Vec::with_capacity(typing.len());
    for k in &typing {
        at += Duration::from_millis(125);
        let t = Instant::now();
        app.handle_at(Input::Key(*k), at);
        term.draw(|f| app.draw(f))?;
        v.push(t.elapsed());
    }
    report("member form typing", v);
    timed(app, term, &[Key::Esc, Key::Char('N')])?;
    Ok(())
}

/// Issue 6: the attendance grid of a 50-member branch and the dues sheet
/// of a 300-member org, added to the ledger for the purpose.
fn work_screens(app: &mut App, term: &mut Terminal<TestBackend>, today: chrono::NaiveDate) -> R {
    use djtz::domain::dates::Month;
    use djtz::domain::enums::*;
    use djtz::domain::money::Fen;
    use djtz::domain::records::*;
    use djtz::store::ChangeKind;

    const BRANCH: &str = "基准测试五十人党支部";
    const BIG: &str = "基准测试三百人党委";
    let since = today - chrono::Days::new(400);
    let prev = Month::of(today).prev();
    let mut ch = app.store.change(ChangeKind::Edit, "基准测试数据")?;
    for (name, n) in [(BRANCH, 50), (BIG, 300)] {
        let mut o = PartyOrg::new(name, OrgType::Branch, Formation::Standalone, since);
        o.has_committee = true;
        ch.insert(&mut o)?;
        for i in 0..n {
            let cat = if i % 10 == 9 {
                MemberCategory::Probationary
            } else {
                MemberCategory::Formal
            };
            let mut m = Member::new(&format!("党员{i:03}"), o.id, cat);
            m.joined = Some(since);
            ch.insert(&mut m)?;
            ch.insert(&mut Dues {
                id: 0,
                month: prev,
                member_id: m.id,
                org_id: o.id,
                base: Some(Fen(300_000 + 1_000 * i)),
                person_type: Some(PersonType::Employed),
                due: Fen(0),
                due_manual: false,
                paid: Fen(0),
                paid_date: None,
            })?;
        }
    }
    ch.commit()?;
    app.load();

    // The grid: a new 支部党员大会 of the 50-member branch.
    app.handle(Input::Key(Key::Char('6')));
    app.handle(Input::Key(Key::F(5)));
    app.handle(Input::Key(Key::Home));
    app.handle(Input::Key(Key::PageUp));
    app.handle(Input::Key(Key::Ctrl('u')));
    for c in BRANCH.chars() {
        app.handle(Input::Key(Key::Char(c)));
    }
    app.handle(Input::Key(Key::Tab));
    app.handle(Input::Key(Key::Char('1')));
    app.handle(Input::Key(Key::F(3)));
    term.draw(|f| app.draw(f))?;
    let mut grid = Vec::new();
    for i in 0..400 {
        grid.push(match i % 8 {
            0 => Key::Char('2'),
            1 => Key::Char('3'),
            2 => Key::Char(' '),
            3 => Key::Char('1'),
            4 => Key::Up,
            5 => Key::Down,
            6 => Key::PageDown,
            _ => Key::Right,
        });
        if i % 50 == 49 {
            grid.push(Key::F(2));
            grid.push(Key::Home);
        }
    }
    let v = timed(app, term, &grid)?;
    report("attendance grid (50)", v);
    app.handle(Input::Key(Key::Esc));
    app.handle(Input::Key(Key::Char('N')));

    // The dues sheet of the 300-member org: generate, move, pay.
    app.handle(Input::Key(Key::Char('7')));
    app.handle(Input::Key(Key::F(4)));
    app.handle(Input::Key(Key::F(7)));
    for c in BIG.chars() {
        app.handle(Input::Key(Key::Char(c)));
    }
    app.handle(Input::Key(Key::Enter));
    let t = Instant::now();
    app.handle(Input::Key(Key::F(5)));
    term.draw(|f| app.draw(f))?;
    println!("generate dues (300 members)    {:>8.2} ms", ms(t.elapsed()));
    let mut moves = vec![Key::Down; 150];
    moves.extend(vec![Key::Up; 100]);
    moves.extend([Key::End, Key::Home]);
    let v = timed(app, term, &moves)?;
    report("dues sheet movement (300)", v);
    let mut pay = Vec::new();
    for i in 0..60 {
        if i % 3 == 0 {
            pay.extend([Key::Char('1'), Key::Char('2'), Key::Enter]);
        } else {
            pay.push(Key::Enter);
        }
    }
    let v = timed(app, term, &pay)?;
    report("dues sheet paying (300)", v);
    Ok(())
}
