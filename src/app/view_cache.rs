//! What the read models of many assessments share, read once and kept: the strategies
//! that apply per organisation and model version, and the mappings between model
//! versions (both parsed from JSON, which cost more than the rest of a view).

use crate::error::Result;
use crate::model::ModelMapping;
use crate::store::Facility;
use crate::store::backend::Backend;
use crate::strategy::Strategy;
use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

/// The strategies that apply to a facility's assessments on a model version.
pub(crate) type Strategies = Rc<Vec<(Strategy, Option<ModelMapping>)>>;

/// Two model ids: a mapping's ends, or an organisation and a model version.
type Pair = (String, String);

/// The cache of one export (or one view).
#[derive(Default)]
pub(crate) struct ViewCache {
    strategies: RefCell<HashMap<Pair, Strategies>>,
    mappings: RefCell<HashMap<Pair, Option<Rc<ModelMapping>>>>,
}

impl ViewCache {
    /// The strategies for `facility`'s gaps on `model_id`; they depend on the facility's
    /// organisation only.
    pub(crate) fn strategies(
        &self,
        store: &dyn Backend,
        facility: &Facility,
        model_id: &str,
    ) -> Result<Strategies> {
        let key = (facility.organisation.clone(), model_id.to_string());
        if let Some(s) = self.strategies.borrow().get(&key) {
            return Ok(s.clone());
        }
        let s = Rc::new(store.strategies_for(facility, model_id)?);
        self.strategies.borrow_mut().insert(key, s.clone());
        Ok(s)
    }

    /// The mapping between two model versions, in either direction, where there is one.
    pub(crate) fn mapping(
        &self,
        store: &dyn Backend,
        from: &str,
        to: &str,
    ) -> Result<Option<Rc<ModelMapping>>> {
        let key = (from.to_string(), to.to_string());
        if let Some(m) = self.mappings.borrow().get(&key) {
            return Ok(m.clone());
        }
        let m = store.mapping_between(from, to)?.map(Rc::new);
        self.mappings.borrow_mut().insert(key, m.clone());
        Ok(m)
    }
}
