//! Rule expressions: `avg(cpu_busy_percent, 5m) > 80 and not load1 < 1`.
//! Arithmetic, comparisons, and/or/not, and avg/max/min/rate over a window. Errors give the
//! column and what was expected. Pure: values come from an `EvalContext`.

use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Func {
    Avg,
    Max,
    Min,
    /// Per-second increase over the window.
    Rate,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BinOp {
    Or,
    And,
    Lt,
    Le,
    Gt,
    Ge,
    Eq,
    Ne,
    Add,
    Sub,
    Mul,
    Div,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Expr {
    Num(f64),
    Metric(String),
    Window {
        func: Func,
        metric: String,
        window_ms: i64,
    },
    Not(Box<Expr>),
    Neg(Box<Expr>),
    Binary(BinOp, Box<Expr>, Box<Expr>),
}

/// Where values come from: the latest value of a metric, or a function over a window.
pub trait EvalContext {
    fn value(&self, metric: &str) -> Option<f64>;
    fn window(&self, func: Func, metric: &str, window_ms: i64) -> Option<f64>;
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError {
    /// 1-based column.
    pub column: usize,
    pub expected: String,
    pub found: String,
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "column {}: expected {}, found {}",
            self.column, self.expected, self.found
        )
    }
}

impl std::error::Error for ParseError {}

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Num(f64),
    Ident(String),
    Dur(i64),
    Op(&'static str),
    LParen,
    RParen,
    Comma,
    End,
}

impl fmt::Display for Tok {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Tok::Num(n) => write!(f, "number {n}"),
            Tok::Ident(s) => write!(f, "`{s}`"),
            Tok::Dur(ms) => write!(f, "duration {ms}ms"),
            Tok::Op(o) => write!(f, "`{o}`"),
            Tok::LParen => write!(f, "`(`"),
            Tok::RParen => write!(f, "`)`"),
            Tok::Comma => write!(f, "`,`"),
            Tok::End => write!(f, "end of expression"),
        }
    }
}

fn lex(src: &str) -> Result<Vec<(usize, Tok)>, ParseError> {
    let b = src.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        let start = i;
        if c.is_ascii_whitespace() {
            i += 1;
            continue;
        }
        if c.is_ascii_digit() || (c == b'.' && b.get(i + 1).is_some_and(u8::is_ascii_digit)) {
            while i < b.len() && (b[i].is_ascii_digit() || b[i] == b'.') {
                i += 1;
            }
            let num = &src[start..i];
            let unit_end = (i..b.len())
                .find(|j| !b[*j].is_ascii_alphabetic())
                .unwrap_or(b.len());
            if unit_end > i {
                let text = &src[start..unit_end];
                let ms = humantime::parse_duration(text).map_err(|_| ParseError {
                    column: start + 1,
                    expected: "a number or a duration like 5m".into(),
                    found: format!("`{text}`"),
                })?;
                out.push((start, Tok::Dur(ms.as_millis() as i64)));
                i = unit_end;
            } else {
                let n = num.parse().map_err(|_| ParseError {
                    column: start + 1,
                    expected: "a number".into(),
                    found: format!("`{num}`"),
                })?;
                out.push((start, Tok::Num(n)));
            }
            continue;
        }
        if c.is_ascii_alphabetic() || c == b'_' {
            while i < b.len() && (b[i].is_ascii_alphanumeric() || b[i] == b'_' || b[i] == b'.') {
                i += 1;
            }
            out.push((start, Tok::Ident(src[start..i].to_string())));
            continue;
        }
        let two = src.get(i..i + 2).unwrap_or("");
        let tok = match two {
            "<=" | ">=" | "==" | "!=" | "&&" | "||" => {
                i += 2;
                Tok::Op(match two {
                    "<=" => "<=",
                    ">=" => ">=",
                    "==" => "==",
                    "!=" => "!=",
                    "&&" => "and",
                    _ => "or",
                })
            }
            _ => {
                i += 1;
                match c {
                    b'<' => Tok::Op("<"),
                    b'>' => Tok::Op(">"),
                    b'+' => Tok::Op("+"),
                    b'-' => Tok::Op("-"),
                    b'*' => Tok::Op("*"),
                    b'/' => Tok::Op("/"),
                    b'!' => Tok::Op("not"),
                    b'(' => Tok::LParen,
                    b')' => Tok::RParen,
                    b',' => Tok::Comma,
                    _ => {
                        let ch = src[start..].chars().next().unwrap_or('?');
                        return Err(ParseError {
                            column: start + 1,
                            expected: "a metric, a number, an operator or a parenthesis".into(),
                            found: format!("`{ch}`"),
                        });
                    }
                }
            }
        };
        out.push((start, tok));
    }
    out.push((src.len(), Tok::End));
    Ok(out)
}

struct Parser {
    toks: Vec<(usize, Tok)>,
    at: usize,
    /// How deep in parentheses, `not` and unary minus the parser is.
    depth: usize,
}

/// Bounds that keep parsing and evaluating off the end of the stack: nesting (parentheses,
/// `not`, unary minus) and tokens (a long chain of `+` is a deep tree too).
const MAX_DEPTH: usize = 64;
const MAX_TOKENS: usize = 1_000;

impl Parser {
    fn peek(&self) -> &Tok {
        &self.toks[self.at].1
    }
    fn next(&mut self) -> (usize, Tok) {
        let t = self.toks[self.at].clone();
        if self.at + 1 < self.toks.len() {
            self.at += 1;
        }
        t
    }
    fn error(&self, expected: &str) -> ParseError {
        let (pos, tok) = &self.toks[self.at];
        ParseError {
            column: pos + 1,
            expected: expected.into(),
            found: tok.to_string(),
        }
    }
    /// Into one more level of nesting, or the error that it is too deep.
    fn deeper(&mut self) -> Result<(), ParseError> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(self.error(&format!("at most {MAX_DEPTH} levels of nesting")));
        }
        Ok(())
    }

    fn is_word(&self, w: &str) -> bool {
        matches!(self.peek(), Tok::Ident(s) if s == w)
            || matches!(self.peek(), Tok::Op(o) if *o == w)
    }

    fn or(&mut self) -> Result<Expr, ParseError> {
        let mut l = self.and()?;
        while self.is_word("or") {
            self.next();
            l = Expr::Binary(BinOp::Or, Box::new(l), Box::new(self.and()?));
        }
        Ok(l)
    }
    fn and(&mut self) -> Result<Expr, ParseError> {
        let mut l = self.not()?;
        while self.is_word("and") {
            self.next();
            l = Expr::Binary(BinOp::And, Box::new(l), Box::new(self.not()?));
        }
        Ok(l)
    }
    fn not(&mut self) -> Result<Expr, ParseError> {
        if self.is_word("not") {
            self.next();
            self.deeper()?;
            let e = Expr::Not(Box::new(self.not()?));
            self.depth -= 1;
            return Ok(e);
        }
        self.cmp()
    }
    fn cmp(&mut self) -> Result<Expr, ParseError> {
        let l = self.sum()?;
        let op = match self.peek() {
            Tok::Op("<") => BinOp::Lt,
            Tok::Op("<=") => BinOp::Le,
            Tok::Op(">") => BinOp::Gt,
            Tok::Op(">=") => BinOp::Ge,
            Tok::Op("==") => BinOp::Eq,
            Tok::Op("!=") => BinOp::Ne,
            _ => return Ok(l),
        };
        self.next();
        Ok(Expr::Binary(op, Box::new(l), Box::new(self.sum()?)))
    }
    fn sum(&mut self) -> Result<Expr, ParseError> {
        let mut l = self.product()?;
        loop {
            let op = match self.peek() {
                Tok::Op("+") => BinOp::Add,
                Tok::Op("-") => BinOp::Sub,
                _ => return Ok(l),
            };
            self.next();
            l = Expr::Binary(op, Box::new(l), Box::new(self.product()?));
        }
    }
    fn product(&mut self) -> Result<Expr, ParseError> {
        let mut l = self.unary()?;
        loop {
            let op = match self.peek() {
                Tok::Op("*") => BinOp::Mul,
                Tok::Op("/") => BinOp::Div,
                _ => return Ok(l),
            };
            self.next();
            l = Expr::Binary(op, Box::new(l), Box::new(self.unary()?));
        }
    }
    fn unary(&mut self) -> Result<Expr, ParseError> {
        if matches!(self.peek(), Tok::Op("-")) {
            self.next();
            self.deeper()?;
            let e = Expr::Neg(Box::new(self.unary()?));
            self.depth -= 1;
            return Ok(e);
        }
        self.primary()
    }
    fn primary(&mut self) -> Result<Expr, ParseError> {
        const WHAT: &str = "a metric, a number, a function or `(`";
        match self.peek().clone() {
            Tok::Num(n) => {
                self.next();
                Ok(Expr::Num(n))
            }
            Tok::LParen => {
                self.next();
                self.deeper()?;
                let e = self.or()?;
                self.expect(&Tok::RParen, "`)`")?;
                self.depth -= 1;
                Ok(e)
            }
            Tok::Ident(name) if ["and", "or", "not"].contains(&name.as_str()) => {
                Err(self.error(WHAT))
            }
            Tok::Ident(name) => {
                self.next();
                let func = match name.as_str() {
                    "avg" => Some(Func::Avg),
                    "max" => Some(Func::Max),
                    "min" => Some(Func::Min),
                    "rate" => Some(Func::Rate),
                    _ => None,
                };
                match (func, self.peek()) {
                    (Some(func), Tok::LParen) => {
                        self.next();
                        let metric = match self.next() {
                            (_, Tok::Ident(m)) => m,
                            _ => {
                                self.at -= 1;
                                return Err(self.error("a metric name"));
                            }
                        };
                        self.expect(&Tok::Comma, "`,` and a window like 5m")?;
                        let window_ms = match self.peek() {
                            Tok::Dur(ms) if *ms > 0 => *ms,
                            _ => return Err(self.error("a window like 5m")),
                        };
                        self.next();
                        self.expect(&Tok::RParen, "`)`")?;
                        Ok(Expr::Window {
                            func,
                            metric,
                            window_ms,
                        })
                    }
                    (None, Tok::LParen) => {
                        self.at -= 1;
                        Err(self.error("one of the functions avg, max, min, rate"))
                    }
                    _ => Ok(Expr::Metric(name)),
                }
            }
            _ => Err(self.error(WHAT)),
        }
    }
    fn expect(&mut self, t: &Tok, what: &str) -> Result<(), ParseError> {
        if self.peek() == t {
            self.next();
            Ok(())
        } else {
            Err(self.error(what))
        }
    }
}

/// A comparison or arithmetic on two known values; `None` for a division by zero.
fn arith(op: BinOp, a: f64, b: f64) -> Option<f64> {
    let truth = |t: bool| if t { 1.0 } else { 0.0 };
    Some(match op {
        BinOp::Lt => truth(a < b),
        BinOp::Le => truth(a <= b),
        BinOp::Gt => truth(a > b),
        BinOp::Ge => truth(a >= b),
        BinOp::Eq => truth(a == b),
        BinOp::Ne => truth(a != b),
        BinOp::Add => a + b,
        BinOp::Sub => a - b,
        BinOp::Mul => a * b,
        BinOp::Div if b == 0.0 => return None,
        BinOp::Div => a / b,
        BinOp::And => truth(a != 0.0 && b != 0.0),
        BinOp::Or => truth(a != 0.0 || b != 0.0),
    })
}

/// Parses a whole expression.
pub fn parse(src: &str) -> Result<Expr, ParseError> {
    let toks = lex(src)?;
    if let Some((column, tok)) = toks.get(MAX_TOKENS) {
        return Err(ParseError {
            column: column + 1,
            expected: format!("at most {MAX_TOKENS} tokens (split the rule)"),
            found: tok.to_string(),
        });
    }
    let mut p = Parser {
        toks,
        at: 0,
        depth: 0,
    };
    let e = p.or()?;
    if *p.peek() != Tok::End {
        return Err(p.error("an operator or the end of the expression"));
    }
    Ok(e)
}

impl Expr {
    /// The value, `None` where a metric is missing; conditions are 1.0 (true) or 0.0.
    pub fn eval(&self, ctx: &dyn EvalContext) -> Option<f64> {
        let truth = |b: bool| if b { 1.0 } else { 0.0 };
        Some(match self {
            Expr::Num(n) => *n,
            Expr::Metric(m) => ctx.value(m)?,
            Expr::Window {
                func,
                metric,
                window_ms,
            } => ctx.window(*func, metric, *window_ms)?,
            Expr::Not(e) => truth(e.eval(ctx)? == 0.0),
            Expr::Neg(e) => -e.eval(ctx)?,
            Expr::Binary(op, l, r) => {
                // and/or decide on what is known: `false and missing` is false.
                match op {
                    BinOp::And => {
                        let (a, b) = (l.eval(ctx), r.eval(ctx));
                        if a == Some(0.0) || b == Some(0.0) {
                            return Some(0.0);
                        }
                        return Some(truth(a? != 0.0 && b? != 0.0));
                    }
                    BinOp::Or => {
                        let a = l.eval(ctx);
                        if a.is_some_and(|v| v != 0.0) {
                            return Some(1.0);
                        }
                        let b = r.eval(ctx);
                        if b.is_some_and(|v| v != 0.0) {
                            return Some(1.0);
                        }
                        return Some(truth(a? != 0.0 || b? != 0.0));
                    }
                    _ => {}
                }
                arith(*op, l.eval(ctx)?, r.eval(ctx)?)?
            }
        })
    }

    /// Every metric the expression reads.
    pub fn metrics(&self) -> Vec<&str> {
        match self {
            Expr::Num(_) => vec![],
            Expr::Metric(m) | Expr::Window { metric: m, .. } => vec![m.as_str()],
            Expr::Not(e) | Expr::Neg(e) => e.metrics(),
            Expr::Binary(_, l, r) => {
                let mut v = l.metrics();
                v.extend(r.metrics());
                v
            }
        }
    }
}

mod display;
mod witness;

#[cfg(test)]
mod tests;
