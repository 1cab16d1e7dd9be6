//! Random numbers, duration distributions and the small numeric helpers the generator shares.
//!
//! Every person draws from their own ChaCha8 generator, keyed by (seed, home municipality,
//! serial number) with one stream per purpose, so what a person becomes does not depend on
//! which thread generated them or in which order, and a correction can redraw one person
//! without disturbing anyone else.

use rand::{Rng as _, SeedableRng as _};
use rand_chacha::ChaCha8Rng;

use super::profile::LogNormalSpec;

pub(crate) type Rng = ChaCha8Rng;

/// Streams of a person's generator.
pub(crate) const DEMOGRAPHY: u64 = 1;
pub(crate) const CAREER: u64 = 2;
pub(crate) const ACTIVATION: u64 = 3;
pub(crate) const CORRECTION: u64 = 4;

/// Weeks in an average year.
pub(crate) const WEEKS_PER_YEAR: f64 = 365.2425 / 7.0;

/// SplitMix64: a bijective scrambler of 64-bit words.
pub(crate) fn splitmix(x: u64) -> u64 {
    let mut z = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// A well-mixed key for a person, e.g. to put persons in a random but reproducible order.
pub(crate) fn person_key(seed: u64, municipality: u16, serial: u32, salt: u64) -> u64 {
    splitmix(splitmix(splitmix(seed ^ salt) ^ u64::from(municipality)) ^ u64::from(serial))
}

/// The generator of one person for one purpose.
pub(crate) fn person_rng(seed: u64, municipality: u16, serial: u32, stream: u64) -> Rng {
    let k0 = splitmix(seed);
    let k1 = splitmix(k0 ^ u64::from(municipality));
    let k2 = splitmix(k1 ^ u64::from(serial));
    let k3 = splitmix(k2 ^ 0x5851_F42D_4C95_7F2D);
    let mut key = [0u8; 32];
    for (slot, word) in key.chunks_exact_mut(8).zip([k0, k1, k2, k3]) {
        slot.copy_from_slice(&word.to_le_bytes());
    }
    let mut rng = Rng::from_seed(key);
    rng.set_stream(stream);
    rng
}

/// Uniform in [0, 1).
pub(crate) fn uniform(rng: &mut Rng) -> f64 {
    rng.random::<f64>()
}

/// Uniform integer in `lo..=hi` (`lo` when the range is empty).
pub(crate) fn between(rng: &mut Rng, lo: i32, hi: i32) -> i32 {
    if hi <= lo { lo } else { rng.random_range(lo..=hi) }
}

/// Exponential with the given mean.
pub(crate) fn exponential(rng: &mut Rng, mean: f64) -> f64 {
    -mean * (1.0 - uniform(rng)).ln()
}

/// Geometric number of weeks, at least 1, with the given mean: the waiting time of a
/// weekly chance of `1 / mean`.
pub(crate) fn geometric(rng: &mut Rng, mean: f64) -> i32 {
    if mean.is_nan() || mean <= 1.0 {
        return 1;
    }
    if mean > 1e9 {
        return i32::MAX / 4;
    }
    let p = 1.0 / mean;
    let k = (1.0 - uniform(rng)).ln() / (1.0 - p).ln();
    1 + to_i32(k.floor()).clamp(0, i32::MAX / 4)
}

/// An index drawn with probability proportional to `weights` (the last one if all are zero).
pub(crate) fn pick(rng: &mut Rng, weights: &[f64]) -> usize {
    let total: f64 = weights.iter().sum();
    let mut u = uniform(rng) * total;
    for (i, &w) in weights.iter().enumerate() {
        if u < w {
            return i;
        }
        u -= w;
    }
    weights.len().saturating_sub(1)
}

/// `x` rounded towards zero into `i32`, saturating (and 0 for NaN).
#[expect(clippy::cast_possible_truncation, reason = "saturating by design")]
pub(crate) fn to_i32(x: f64) -> i32 {
    x as i32
}

/// `x` rounded into `u32`, saturating.
#[expect(clippy::cast_possible_truncation, clippy::cast_sign_loss, reason = "saturating by design")]
pub(crate) fn to_u32(x: f64) -> u32 {
    x.round() as u32
}

/// A count as a float.
#[expect(clippy::cast_precision_loss, reason = "counts stay far below 2^53")]
pub(crate) fn float(x: usize) -> f64 {
    x as f64
}

/// A 64-bit count as a float.
#[expect(clippy::cast_precision_loss, reason = "counts stay far below 2^53")]
pub(crate) fn float64(x: u64) -> f64 {
    x as f64
}

/// The complementary error function (Numerical Recipes `erfcc`, relative error below 1.2e-7).
fn erfc(x: f64) -> f64 {
    let z = x.abs();
    let t = 1.0 / (1.0 + 0.5 * z);
    let poly = -z * z - 1.265_512_23
        + t * (1.000_023_68
            + t * (0.374_091_96
                + t * (0.096_784_18
                    + t * (-0.186_288_06
                        + t * (0.278_868_07
                            + t * (-1.135_203_98 + t * (1.488_515_87 + t * (-0.822_152_23 + t * 0.170_872_77))))))));
    let r = t * poly.exp();
    if x >= 0.0 { r } else { 2.0 - r }
}

/// The standard normal distribution function.
pub(crate) fn normal_cdf(z: f64) -> f64 {
    0.5 * erfc(-z / std::f64::consts::SQRT_2)
}

/// A probability mass function over whole weeks: `p[d]` is the chance of `d` weeks.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Pmf {
    p: Vec<f64>,
}

impl Pmf {
    /// Certainly `d` weeks.
    pub fn point(d: usize) -> Self {
        let mut p = vec![0.0; d + 1];
        p[d] = 1.0;
        Self { p }
    }

    /// Uniform on `lo..=hi`.
    pub fn uniform(lo: usize, hi: usize) -> Self {
        let hi = hi.max(lo);
        let mut p = vec![0.0; hi + 1];
        let each = 1.0 / float(hi - lo + 1);
        for x in &mut p[lo..=hi] {
            *x = each;
        }
        Self { p }
    }

    /// A log-normal discretised to whole weeks in `min..=max`, the tails piled on the ends.
    pub fn lognormal(spec: LogNormalSpec) -> Self {
        let (min, max) = (spec.min.max(1) as usize, spec.max.max(spec.min.max(1)) as usize);
        let mu = spec.median.max(0.5).ln();
        let sigma = spec.sigma.max(1e-3);
        let cdf = |x: f64| normal_cdf((x.ln() - mu) / sigma);
        let mut p = vec![0.0; max + 1];
        for (d, slot) in p.iter_mut().enumerate().skip(min) {
            let lower = if d == min { 0.0 } else { cdf(float(d) - 0.5) };
            let upper = if d == max { 1.0 } else { cdf(float(d) + 0.5) };
            *slot = (upper - lower).max(0.0);
        }
        Self { p }
    }

    /// The probabilities times `w`.
    pub fn scaled(&self, w: f64) -> Self {
        Self { p: self.p.iter().map(|x| x * w).collect() }
    }

    /// The mixture `self + other` (the caller keeps the weights summing to one).
    pub fn plus(&self, other: &Pmf) -> Self {
        let mut p = vec![0.0; self.p.len().max(other.p.len())];
        for (i, x) in self.p.iter().enumerate() {
            p[i] += x;
        }
        for (i, x) in other.p.iter().enumerate() {
            p[i] += x;
        }
        Self { p }
    }

    /// The part below `d` weeks, and the rest.
    pub fn split(&self, d: usize) -> (Self, Self) {
        let mut low = self.p.clone();
        let mut high = self.p.clone();
        for (i, (l, h)) in low.iter_mut().zip(high.iter_mut()).enumerate() {
            if i < d {
                *h = 0.0;
            } else {
                *l = 0.0;
            }
        }
        (Self { p: low }, Self { p: high })
    }

    /// The distribution of the sum of two independent durations.
    pub fn convolve(&self, other: &Pmf) -> Self {
        let mut p = vec![0.0; self.p.len() + other.p.len() - 1];
        for (i, a) in self.p.iter().enumerate() {
            if *a == 0.0 {
                continue;
            }
            for (j, b) in other.p.iter().enumerate() {
                p[i + j] += a * b;
            }
        }
        Self { p }
    }

    /// The total probability.
    pub fn mass(&self) -> f64 {
        self.p.iter().sum()
    }

    /// The mean number of weeks.
    pub fn mean(&self) -> f64 {
        self.p.iter().enumerate().map(|(d, x)| float(d) * x).sum()
    }

    /// `E[max(0, D - k)]`: the weeks beyond the first `k`.
    pub fn tail(&self, k: usize) -> f64 {
        self.p.iter().enumerate().skip(k + 1).map(|(d, x)| float(d - k) * x).sum()
    }

    /// The chance of exactly `d` weeks.
    pub fn at(&self, d: usize) -> f64 {
        self.p.get(d).copied().unwrap_or(0.0)
    }

    /// The longest possible duration.
    pub fn max(&self) -> usize {
        self.p.iter().rposition(|&x| x > 0.0).unwrap_or(0)
    }
}

/// A sampler of whole weeks from a [`Pmf`].
#[derive(Debug, Clone)]
pub(crate) struct Durations {
    cdf: Vec<f64>,
    pmf: Pmf,
}

impl Durations {
    pub fn new(pmf: Pmf) -> Self {
        let total = pmf.mass().max(f64::MIN_POSITIVE);
        let mut acc = 0.0;
        let cdf = pmf
            .p
            .iter()
            .map(|x| {
                acc += x / total;
                acc
            })
            .collect();
        Self { cdf, pmf }
    }

    pub fn lognormal(spec: LogNormalSpec) -> Self {
        Self::new(Pmf::lognormal(spec))
    }

    pub fn sample(&self, rng: &mut Rng) -> i32 {
        let u = uniform(rng);
        let d = self.cdf.partition_point(|&c| c <= u).min(self.cdf.len() - 1);
        i32::try_from(d).unwrap_or(i32::MAX)
    }

    pub fn pmf(&self) -> &Pmf {
        &self.pmf
    }

    pub fn mean(&self) -> f64 {
        self.pmf.mean()
    }

    pub fn max(&self) -> i32 {
        i32::try_from(self.pmf.max()).unwrap_or(i32::MAX)
    }
}

/// A non-decreasing curve through points (x, y), linear in between and flat outside.
#[derive(Debug, Clone)]
pub(crate) struct Curve {
    points: Vec<(f64, f64)>,
}

impl Curve {
    pub fn new(points: &[[f64; 2]], scale: f64) -> Self {
        let mut points: Vec<(f64, f64)> = points.iter().map(|p| (p[0], p[1] * scale)).collect();
        points.sort_by(|a, b| a.0.total_cmp(&b.0));
        let mut top = 0.0_f64;
        for p in &mut points {
            top = top.max(p.1);
            p.1 = top;
        }
        Self { points }
    }

    pub fn value(&self, x: f64) -> f64 {
        let Some(&(x0, y0)) = self.points.first() else { return 0.0 };
        if x <= x0 {
            return y0;
        }
        for pair in self.points.windows(2) {
            let ((xa, ya), (xb, yb)) = (pair[0], pair[1]);
            if x <= xb {
                return if xb > xa { ya + (yb - ya) * (x - xa) / (xb - xa) } else { yb };
            }
        }
        self.points.last().map_or(0.0, |p| p.1)
    }

    /// The slope at `x` (per unit of x), zero outside the points.
    pub fn slope(&self, x: f64) -> f64 {
        for pair in self.points.windows(2) {
            let ((xa, ya), (xb, yb)) = (pair[0], pair[1]);
            if x >= xa && x < xb && xb > xa {
                return (yb - ya) / (xb - xa);
            }
        }
        0.0
    }

    /// The highest value.
    pub fn top(&self) -> f64 {
        self.points.last().map_or(0.0, |p| p.1)
    }

    /// The smallest x at which the curve reaches `y`, or `None` above its top.
    pub fn inverse(&self, y: f64) -> Option<f64> {
        let &(x0, y0) = self.points.first()?;
        if y > self.top() {
            return None;
        }
        if y <= y0 {
            return Some(x0);
        }
        for pair in self.points.windows(2) {
            let ((xa, ya), (xb, yb)) = (pair[0], pair[1]);
            if y <= yb && yb > ya {
                return Some(xa + (xb - xa) * (y - ya) / (yb - ya));
            }
        }
        self.points.last().map(|p| p.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normal_cdf_is_accurate() {
        assert!((normal_cdf(0.0) - 0.5).abs() < 1e-7);
        assert!((normal_cdf(1.959_963_985) - 0.975).abs() < 1e-6);
        assert!((normal_cdf(-1.0) - 0.158_655_254).abs() < 1e-6);
    }

    #[test]
    fn lognormal_has_its_median_and_bounds() {
        let spec = LogNormalSpec { median: 10.0, sigma: 0.8, min: 2, max: 60 };
        let pmf = Pmf::lognormal(spec);
        assert!((pmf.mass() - 1.0).abs() < 1e-9);
        assert_eq!(pmf.max(), 60);
        let below: f64 = (0..=9).map(|d| pmf.p[d]).sum::<f64>() + pmf.p[10] / 2.0;
        assert!((below - 0.5).abs() < 0.03, "{below}");
        let d = Durations::new(pmf);
        let mut rng = person_rng(1, 101, 1, CAREER);
        let draws: Vec<i32> = (0..2000).map(|_| d.sample(&mut rng)).collect();
        assert!(draws.iter().all(|&x| (2..=60).contains(&x)));
        let mean = f64::from(draws.iter().sum::<i32>()) / 2000.0;
        assert!((mean - d.mean()).abs() < 1.0, "{mean} vs {}", d.mean());
    }

    #[test]
    fn pmf_arithmetic() {
        let a = Pmf::uniform(1, 3);
        let b = Pmf::point(10);
        let c = a.convolve(&b);
        assert!((c.mean() - 12.0).abs() < 1e-12);
        assert!((c.tail(11) - 1.0).abs() < 1e-12);
        let (low, high) = a.split(2);
        assert!((low.mass() - 1.0 / 3.0).abs() < 1e-12 && (high.mass() - 2.0 / 3.0).abs() < 1e-12);
    }

    #[test]
    fn curves_invert() {
        let c = Curve::new(&[[18.0, 0.2], [30.0, 1.4], [60.0, 4.4]], 0.01);
        assert!((c.value(24.0) - 0.008).abs() < 1e-12);
        let x = c.inverse(0.008).unwrap();
        assert!((x - 24.0).abs() < 1e-9);
        assert_eq!(c.inverse(0.05), None);
        assert_eq!(c.inverse(0.0), Some(18.0));
        assert!((c.slope(40.0) - 0.001).abs() < 1e-12);
    }

    #[test]
    fn streams_differ_and_repeat() {
        let a: Vec<f64> = (0..4).map(|_| 0.0).scan(person_rng(7, 175, 3, CAREER), |r, _| Some(uniform(r))).collect();
        let b: Vec<f64> = (0..4).map(|_| 0.0).scan(person_rng(7, 175, 3, CAREER), |r, _| Some(uniform(r))).collect();
        let c: Vec<f64> =
            (0..4).map(|_| 0.0).scan(person_rng(7, 175, 3, ACTIVATION), |r, _| Some(uniform(r))).collect();
        assert_eq!(a, b);
        assert_ne!(a, c);
    }
}
