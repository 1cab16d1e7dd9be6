//! The bundled data: the municipalities (code, name, region, population) and the profiles and
//! behavioural model of `data/profiles.toml`.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use indsats_domain::Origin;
use serde::Deserialize;

use super::SynthError;

const PROFILES_FILE: &str = "data/profiles.toml";
const PROFILES: &str = include_str!("../../data/profiles.toml");

/// A municipality as `indsats_domain::municipality` lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct MunicipalityInfo {
    pub code: u16,
    pub region: String,
    pub population: u32,
}

/// The calibration targets of a municipality, in per cent, for its calibration year.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Targets {
    /// The year the figures describe.
    pub year: i32,
    /// `andel.offentlig_forsoergelse`, everyone aged 16-66.
    pub offentlig_forsoergelse: f64,
    /// `andel.offentlig_forsoergelse` for non-western immigrants and descendants (`ikke_vestlig_i_alt`).
    pub ikke_vestlig: f64,
    /// `andel.langvarige`, everyone aged 16-66.
    pub langvarige: f64,
    /// `andel.virksomhedsrettet`: unemployed weeks in company-oriented activation.
    pub virksomhedsrettet: f64,
    /// `andel.opkvalificering`: unemployed weeks in upskilling.
    pub opkvalificering: f64,
}

/// A municipality's resolved profile: its targets and its population by origin.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Profile {
    pub targets: Targets,
    /// Per cent of residents by origin, in [`Origin::ALL`] order.
    pub origin: [f64; 5],
    /// Whether the municipality has a profile of its own (else the default's).
    pub own: bool,
}

/// The calibration targets the generator uses for a municipality: its own profile in
/// `data/profiles.toml`, completed from the default profile, or the default profile.
pub fn targets(code: u16) -> Result<Targets, SynthError> {
    let data = data()?;
    data.municipality(code)?;
    Ok(data.profile(code).targets)
}

/// Everything bundled, parsed once.
#[derive(Debug, Clone)]
pub(crate) struct Data {
    pub municipalities: Vec<MunicipalityInfo>,
    pub population: Population,
    pub model: Model,
    default: ProfileSpec,
    profiles: BTreeMap<u16, ProfileSpec>,
}

static DATA: OnceLock<Result<Data, SynthError>> = OnceLock::new();

pub(crate) fn data() -> Result<&'static Data, SynthError> {
    DATA.get_or_init(load).as_ref().map_err(Clone::clone)
}

impl Data {
    pub fn municipality(&self, code: u16) -> Result<&MunicipalityInfo, SynthError> {
        self.municipalities.iter().find(|m| m.code == code).ok_or(SynthError::UnknownMunicipality(code))
    }

    pub fn profile(&self, code: u16) -> Profile {
        let d = &self.default;
        let own = self.profiles.get(&code);
        let pick = |f: fn(&ProfileSpec) -> Option<f64>| own.and_then(f).or_else(|| f(d)).unwrap_or(0.0);
        let support = pick(|p| p.offentlig_forsoergelse);
        let default_support = d.offentlig_forsoergelse.unwrap_or(support).max(f64::EPSILON);
        let ratio = |f: fn(&ProfileSpec) -> Option<f64>| {
            own.and_then(f).unwrap_or_else(|| support * f(d).unwrap_or(0.0) / default_support)
        };
        let targets = Targets {
            year: own.and_then(|p| p.year).or(d.year).unwrap_or(2021),
            offentlig_forsoergelse: support,
            ikke_vestlig: ratio(|p| p.ikke_vestlig),
            langvarige: ratio(|p| p.langvarige),
            virksomhedsrettet: pick(|p| p.virksomhedsrettet),
            opkvalificering: pick(|p| p.opkvalificering),
        };
        let origin =
            own.and_then(|p| p.origin).or(d.origin).map_or([100.0, 0.0, 0.0, 0.0, 0.0], OriginShares::as_array);
        Profile { targets, origin, own: own.is_some() }
    }
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct ProfileSpec {
    #[allow(dead_code, reason = "documents the file; the CSV is the source of names")]
    name: Option<String>,
    year: Option<i32>,
    offentlig_forsoergelse: Option<f64>,
    ikke_vestlig: Option<f64>,
    langvarige: Option<f64>,
    virksomhedsrettet: Option<f64>,
    opkvalificering: Option<f64>,
    origin: Option<OriginShares>,
}

/// A number per origin.
#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct OriginShares {
    dansk: f64,
    vestlig_indvandrer: f64,
    vestlig_efterkommer: f64,
    ikke_vestlig_indvandrer: f64,
    ikke_vestlig_efterkommer: f64,
}

impl OriginShares {
    pub fn as_array(self) -> [f64; 5] {
        [
            self.dansk,
            self.vestlig_indvandrer,
            self.vestlig_efterkommer,
            self.ikke_vestlig_indvandrer,
            self.ikke_vestlig_efterkommer,
        ]
    }

    pub fn get(self, origin: Origin) -> f64 {
        self.as_array()[origin as usize]
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    default: ProfileSpec,
    #[serde(default)]
    municipality: BTreeMap<String, ProfileSpec>,
    population: Population,
    model: Model,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Population {
    pub age_pyramid: Pyramids,
    pub arrival_age: [f64; 20],
    pub arrival_origin: ArrivalOrigin,
    pub births: f64,
    pub arrivals: f64,
    pub emigration: OriginShares,
    pub mortality: Gompertz,
    pub moves: Vec<[f64; 2]>,
    pub same_region: f64,
    pub years_in_municipality: f64,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Pyramids {
    dansk: [f64; 20],
    vestlig_indvandrer: [f64; 20],
    vestlig_efterkommer: [f64; 20],
    ikke_vestlig_indvandrer: [f64; 20],
    ikke_vestlig_efterkommer: [f64; 20],
}

impl Pyramids {
    pub fn get(&self, origin: Origin) -> &[f64; 20] {
        match origin {
            Origin::Dansk => &self.dansk,
            Origin::VestligIndvandrer => &self.vestlig_indvandrer,
            Origin::VestligEfterkommer => &self.vestlig_efterkommer,
            Origin::IkkeVestligIndvandrer => &self.ikke_vestlig_indvandrer,
            Origin::IkkeVestligEfterkommer => &self.ikke_vestlig_efterkommer,
        }
    }
}

#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ArrivalOrigin {
    pub dansk: f64,
    pub vestlig_indvandrer: f64,
    pub ikke_vestlig_indvandrer: f64,
}

#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Gompertz {
    pub a: f64,
    pub c: f64,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Model {
    pub support_from_age: u32,
    pub episode_rate: f64,
    pub frailty: Vec<[f64; 2]>,
    pub insured: Insured,
    pub age_bands: Vec<u32>,
    pub intensity: Vec<f64>,
    pub mix_ledig: Vec<f64>,
    pub mix_bistand: Vec<f64>,
    pub mix_syg: Vec<f64>,
    pub mix_reval: Vec<f64>,
    pub refugee_start: f64,
    pub selvforsoergelse_years: f64,
    pub cycle: BTreeMap<String, f64>,
    pub durations: DurationSpecs,
    pub chains: Chains,
    pub permanent: Permanent,
    pub barsel: Barsel,
    pub activation: ActivationModel,
}

#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Insured {
    pub dansk: f64,
    pub vestlig: f64,
    pub ikke_vestlig: f64,
}

/// A discretised log-normal duration in weeks.
#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct LogNormalSpec {
    pub median: f64,
    pub sigma: f64,
    pub min: u32,
    pub max: u32,
}

#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct DurationSpecs {
    pub a_dagpenge: LogNormalSpec,
    pub bistand: LogNormalSpec,
    pub sygedagpenge: LogNormalSpec,
    pub jobafklaringsforloeb: LogNormalSpec,
    pub ressourceforloeb: LogNormalSpec,
    pub forrevalidering: LogNormalSpec,
    pub revalidering: LogNormalSpec,
    pub fleksjob: LogNormalSpec,
    pub ledighedsydelse: LogNormalSpec,
}

#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Chains {
    pub a_dagpenge_to_kontanthjaelp: f64,
    pub bistand_to_ressourceforloeb: f64,
    pub sick_reassessment: u32,
    pub sick_extension: u32,
    pub sick_to_jobafklaring: f64,
    pub jobafklaring_to_ressourceforloeb: f64,
    pub forrevalidering_to_revalidering: f64,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Permanent {
    pub foertidspension: Vec<[f64; 2]>,
    pub fleksjob: Vec<[f64; 2]>,
    pub lead_in: f64,
    pub lead_in_jobafklaring: f64,
    pub efterloen: f64,
}

#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Barsel {
    pub mother: Fertility,
    pub father: Fertility,
}

#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Fertility {
    pub peak: f64,
    pub age: f64,
    pub width: f64,
}

#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ActivationModel {
    pub wait_a_dagpenge: f64,
    pub wait_assistance: f64,
    pub virksomhedspraktik: f64,
    pub loentilskud: f64,
    pub nytteindsats: f64,
    pub vejledning: f64,
    pub durations: ActivationDurations,
}

#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ActivationDurations {
    pub virksomhedspraktik: LogNormalSpec,
    pub loentilskud: LogNormalSpec,
    pub nytteindsats: LogNormalSpec,
    pub opkvalificering: LogNormalSpec,
    pub vejledning: LogNormalSpec,
}

fn bad(file: &'static str, message: impl Into<String>) -> SynthError {
    SynthError::Data { file, message: message.into() }
}

fn load() -> Result<Data, SynthError> {
    let municipalities = municipalities();
    let file: File = toml::from_str(PROFILES).map_err(|e| bad(PROFILES_FILE, e.to_string()))?;
    let mut profiles = BTreeMap::new();
    for (key, spec) in file.municipality {
        let code: u16 = key.parse().map_err(|_| bad(PROFILES_FILE, format!("[municipality.{key}]: not a code")))?;
        if !municipalities.iter().any(|m| m.code == code) {
            return Err(bad(PROFILES_FILE, format!("[municipality.{key}]: not among the municipalities")));
        }
        profiles.insert(code, spec);
    }
    let data = Data { municipalities, population: file.population, model: file.model, default: file.default, profiles };
    validate(&data)?;
    Ok(data)
}

fn validate(data: &Data) -> Result<(), SynthError> {
    let d = &data.default;
    if d.offentlig_forsoergelse.is_none()
        || d.ikke_vestlig.is_none()
        || d.langvarige.is_none()
        || d.virksomhedsrettet.is_none()
        || d.opkvalificering.is_none()
        || d.origin.is_none()
    {
        return Err(bad(PROFILES_FILE, "[default] must give every figure and the origin shares"));
    }
    let m = &data.model;
    let bands = m.age_bands.len();
    if bands == 0
        || [&m.intensity, &m.mix_ledig, &m.mix_bistand, &m.mix_syg, &m.mix_reval].iter().any(|v| v.len() != bands)
    {
        return Err(bad(PROFILES_FILE, "[model]: intensity and mix_* need one value per age band"));
    }
    if m.frailty.is_empty() || m.permanent.foertidspension.len() < 2 || m.permanent.fleksjob.len() < 2 {
        return Err(bad(PROFILES_FILE, "[model]: frailty and the permanent curves need values"));
    }
    for key in m.cycle.keys() {
        key.parse::<i32>().map_err(|_| bad(PROFILES_FILE, format!("[model] cycle: {key:?} is not a year")))?;
    }
    if data.population.moves.is_empty() {
        return Err(bad(PROFILES_FILE, "[population] moves needs values"));
    }
    Ok(())
}

fn municipalities() -> Vec<MunicipalityInfo> {
    indsats_domain::municipality::all()
        .iter()
        .map(|m| MunicipalityInfo { code: m.code.get(), region: m.region.clone(), population: m.population })
        .collect()
}
