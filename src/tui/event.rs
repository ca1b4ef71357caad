//! Terminal events normalised for the app: only key presses (Windows also
//! reports releases), Esc followed by a digit as F1–F10 (terminals and
//! laptops without F-keys), Alt+digit likewise, pastes kept apart so that a
//! paste can never trigger a command or a save.

use crossterm::event::{Event, KeyCode, KeyEvent, KeyEventKind, KeyModifiers};

/// A key as the app understands it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Key {
    Char(char),
    /// F1 … F10.
    F(u8),
    Ctrl(char),
    Enter,
    Esc,
    Tab,
    BackTab,
    Up,
    Down,
    Left,
    Right,
    Home,
    End,
    PageUp,
    PageDown,
    Backspace,
    Delete,
    Insert,
}

/// One input for the app.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Input {
    Key(Key),
    /// Text pasted (bracketed paste): goes into the focused text field only.
    Paste(String),
    Resize(u16, u16),
    /// Nothing happened for a while (draft saving, pending Esc).
    Tick,
}

/// Turns crossterm events into `Input`s, resolving Esc+digit.
#[derive(Debug, Default)]
pub struct KeyReader {
    esc_pending: bool,
}

impl KeyReader {
    pub fn new() -> Self {
        KeyReader::default()
    }

    /// Whether an Esc waits for a possible digit.
    pub fn pending(&self) -> bool {
        self.esc_pending
    }

    /// A lone Esc after a pause: it is a real Esc.
    pub fn flush(&mut self) -> Option<Input> {
        if self.esc_pending {
            self.esc_pending = false;
            Some(Input::Key(Key::Esc))
        } else {
            None
        }
    }

    pub fn read(&mut self, ev: Event) -> Vec<Input> {
        match ev {
            Event::Key(k) => self.key(k),
            Event::Paste(s) => {
                let mut out: Vec<Input> = self.flush().into_iter().collect();
                out.push(Input::Paste(s));
                out
            }
            Event::Resize(w, h) => vec![Input::Resize(w, h)],
            _ => Vec::new(),
        }
    }

    fn key(&mut self, k: KeyEvent) -> Vec<Input> {
        if k.kind != KeyEventKind::Press {
            return Vec::new();
        }
        let Some(key) = map_key(k) else {
            return Vec::new();
        };
        if key == Key::Esc {
            if self.esc_pending {
                // Esc Esc: the first one was a real Esc; keep waiting on the second.
                return vec![Input::Key(Key::Esc)];
            }
            self.esc_pending = true;
            return Vec::new();
        }
        if self.esc_pending {
            self.esc_pending = false;
            if let Some(f) = digit_fkey(key) {
                return vec![Input::Key(f)];
            }
            return vec![Input::Key(Key::Esc), Input::Key(key)];
        }
        vec![Input::Key(key)]
    }
}

/// `1`…`9`, `0` (also full-width) as F1…F10.
fn digit_fkey(k: Key) -> Option<Key> {
    match k {
        Key::Char(c) => {
            let c = fold_digit(c);
            match c {
                '1'..='9' => Some(Key::F(c as u8 - b'0')),
                '0' => Some(Key::F(10)),
                _ => None,
            }
        }
        _ => None,
    }
}

/// Full-width digits and `？` as typed with an IME in Chinese mode.
pub fn fold_digit(c: char) -> char {
    match c {
        '０'..='９' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        '？' => '?',
        '／' => '/',
        '［' | '【' => '[',
        '］' | '】' => ']',
        '＝' => '=',
        '－' => '-',
        _ => c,
    }
}

fn map_key(k: KeyEvent) -> Option<Key> {
    let ctrl = k.modifiers.contains(KeyModifiers::CONTROL);
    let alt = k.modifiers.contains(KeyModifiers::ALT);
    Some(match k.code {
        KeyCode::Char(c) if alt => {
            // Alt+digit = F-key; Esc then digit often arrives like this.
            return digit_fkey(Key::Char(c));
        }
        KeyCode::Char(c) if ctrl => Key::Ctrl(c.to_ascii_lowercase()),
        KeyCode::Char(c) => Key::Char(c),
        KeyCode::F(n) if (1..=10).contains(&n) => Key::F(n),
        KeyCode::Enter => Key::Enter,
        KeyCode::Esc => Key::Esc,
        KeyCode::Tab if k.modifiers.contains(KeyModifiers::SHIFT) => Key::BackTab,
        KeyCode::Tab => Key::Tab,
        KeyCode::BackTab => Key::BackTab,
        KeyCode::Up => Key::Up,
        KeyCode::Down => Key::Down,
        KeyCode::Left => Key::Left,
        KeyCode::Right => Key::Right,
        KeyCode::Home => Key::Home,
        KeyCode::End => Key::End,
        KeyCode::PageUp => Key::PageUp,
        KeyCode::PageDown => Key::PageDown,
        KeyCode::Backspace => Key::Backspace,
        KeyCode::Delete => Key::Delete,
        KeyCode::Insert => Key::Insert,
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crossterm::event::KeyEventState;

    fn press(code: KeyCode) -> Event {
        Event::Key(KeyEvent::new(code, KeyModifiers::NONE))
    }

    #[test]
    fn releases_are_dropped() {
        let mut r = KeyReader::new();
        let ev = Event::Key(KeyEvent {
            code: KeyCode::Char('a'),
            modifiers: KeyModifiers::NONE,
            kind: KeyEventKind::Release,
            state: KeyEventState::NONE,
        });
        assert!(r.read(ev).is_empty());
        assert_eq!(
            r.read(press(KeyCode::Char('a'))),
            vec![Input::Key(Key::Char('a'))]
        );
    }

    #[test]
    fn esc_digit_is_fkey() {
        let mut r = KeyReader::new();
        assert!(r.read(press(KeyCode::Esc)).is_empty());
        assert_eq!(
            r.read(press(KeyCode::Char('5'))),
            vec![Input::Key(Key::F(5))]
        );
        assert!(r.read(press(KeyCode::Esc)).is_empty());
        assert_eq!(
            r.read(press(KeyCode::Char('0'))),
            vec![Input::Key(Key::F(10))]
        );
        assert!(r.read(press(KeyCode::Esc)).is_empty());
        assert_eq!(
            r.read(press(KeyCode::Char('x'))),
            vec![Input::Key(Key::Esc), Input::Key(Key::Char('x'))]
        );
        assert!(r.read(press(KeyCode::Esc)).is_empty());
        assert_eq!(r.flush(), Some(Input::Key(Key::Esc)));
        assert_eq!(r.flush(), None);
        let alt = Event::Key(KeyEvent::new(KeyCode::Char('8'), KeyModifiers::ALT));
        assert_eq!(r.read(alt), vec![Input::Key(Key::F(8))]);
    }

    #[test]
    fn full_width_digit_after_esc() {
        let mut r = KeyReader::new();
        r.read(press(KeyCode::Esc));
        assert_eq!(
            r.read(press(KeyCode::Char('３'))),
            vec![Input::Key(Key::F(3))]
        );
    }
}
