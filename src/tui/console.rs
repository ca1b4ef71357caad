//! The Windows console: UTF-8 code pages, VT processing and the window
//! title 党建台账 for the time the program runs, restored on exit; where the
//! console cannot be switched, a Chinese note for the status line. Elsewhere
//! there is nothing to do.

#[cfg(windows)]
mod imp {
    use windows_sys::Win32::System::Console::{
        CONSOLE_MODE, ENABLE_VIRTUAL_TERMINAL_PROCESSING, GetConsoleCP, GetConsoleMode,
        GetConsoleOutputCP, GetConsoleTitleW, GetStdHandle, STD_OUTPUT_HANDLE, SetConsoleCP,
        SetConsoleMode, SetConsoleOutputCP, SetConsoleTitleW,
    };

    const UTF8: u32 = 65001;
    const TITLE: &str = "党建台账";

    fn wide(s: &str) -> Vec<u16> {
        s.encode_utf16().chain(std::iter::once(0)).collect()
    }

    pub struct Console {
        input_cp: u32,
        output_cp: u32,
        mode: Option<CONSOLE_MODE>,
        /// The title before ours (NUL-terminated), if there was one.
        title: Option<Vec<u16>>,
        note: Option<&'static str>,
    }

    impl Console {
        pub fn setup() -> Self {
            // SAFETY: plain Win32 console calls on this process's own console.
            unsafe {
                let input_cp = GetConsoleCP();
                let output_cp = GetConsoleOutputCP();
                let mut note = None;
                if SetConsoleOutputCP(UTF8) == 0 || SetConsoleCP(UTF8) == 0 {
                    note =
                        Some("无法把控制台设为 UTF-8，中文可能显示为乱码；请改用 Windows Terminal");
                }
                let h = GetStdHandle(STD_OUTPUT_HANDLE);
                let mut mode: CONSOLE_MODE = 0;
                let saved = if GetConsoleMode(h, &mut mode) != 0 {
                    if SetConsoleMode(h, mode | ENABLE_VIRTUAL_TERMINAL_PROCESSING) == 0 {
                        note =
                            Some("控制台不支持 VT 模式（Windows 10 以前的系统），显示可能不正常");
                    }
                    Some(mode)
                } else {
                    note = Some(
                        "当前窗口不是 Windows 控制台，显示可能不正常；请双击 djtz.exe 或在命令提示符中运行",
                    );
                    None
                };
                let mut old = vec![0u16; 1024];
                let n = GetConsoleTitleW(old.as_mut_ptr(), old.len() as u32) as usize;
                let title = (n > 0 && n < old.len()).then(|| {
                    old.truncate(n);
                    old.push(0);
                    old
                });
                SetConsoleTitleW(wide(TITLE).as_ptr());
                Console {
                    input_cp,
                    output_cp,
                    mode: saved,
                    title,
                    note,
                }
            }
        }

        pub fn note(&self) -> Option<&'static str> {
            self.note
        }
    }

    impl Drop for Console {
        fn drop(&mut self) {
            // SAFETY: restores what `setup` changed.
            unsafe {
                if self.input_cp != 0 {
                    SetConsoleCP(self.input_cp);
                }
                if self.output_cp != 0 {
                    SetConsoleOutputCP(self.output_cp);
                }
                if let Some(m) = self.mode {
                    SetConsoleMode(GetStdHandle(STD_OUTPUT_HANDLE), m);
                }
                if let Some(t) = &self.title {
                    SetConsoleTitleW(t.as_ptr());
                }
            }
        }
    }
}

#[cfg(not(windows))]
mod imp {
    pub struct Console;

    impl Console {
        pub fn setup() -> Self {
            Console
        }

        pub fn note(&self) -> Option<&'static str> {
            None
        }
    }
}

pub use imp::Console;
