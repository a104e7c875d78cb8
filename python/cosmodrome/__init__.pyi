"""Type stubs of cosmodrome (launch-vehicle performance from Python)."""
import os
from typing import Any, Iterable, KeysView, Optional, Sequence, Tuple, Union

import pyarrow as pa

__version__: str

class CosmodromeError(Exception):
    kind: str
    message: str
    file: Optional[str]
    line: Optional[int]
    key: Optional[str]
    def __init__(self, kind: str, message: str, file: Optional[str] = ..., line: Optional[int] = ...,
                 key: Optional[str] = ...) -> None: ...

class VehicleFileError(CosmodromeError, ValueError): ...
class UnknownIdError(CosmodromeError, LookupError): ...
class InvalidInputError(CosmodromeError, ValueError): ...
class UnreachableError(CosmodromeError): ...
class IntegrationError(CosmodromeError): ...

class Report:
    def __init__(self, data: dict) -> None: ...
    def __getattr__(self, name: str) -> Any: ...
    def __getitem__(self, name: str) -> Any: ...
    def __contains__(self, name: str) -> bool: ...
    def keys(self) -> KeysView[str]: ...
    def to_dict(self) -> dict: ...
    def to_json(self, indent: Optional[int] = ...) -> str: ...

class Table:
    arrow: pa.Table
    def __init__(self, arrow: pa.Table) -> None: ...
    def head(self, n: int = ...) -> Table: ...
    def to_pandas(self) -> Any: ...
    def to_polars(self) -> Any: ...
    def to_pylist(self) -> list: ...
    def write_parquet(self, path: Union[str, os.PathLike]) -> None: ...
    def write_csv(self, path: Union[str, os.PathLike]) -> None: ...
    @property
    def columns(self) -> list[str]: ...
    def __getitem__(self, name: str) -> pa.ChunkedArray: ...
    def __len__(self) -> int: ...
    def __getattr__(self, name: str) -> Any: ...

class Vehicle:
    @staticmethod
    def catalog(id: str) -> Vehicle: ...
    @staticmethod
    def from_file(path: Union[str, os.PathLike]) -> Vehicle: ...
    @staticmethod
    def from_toml(text: str, name: str = ...) -> Vehicle: ...
    @property
    def name(self) -> str: ...
    @property
    def source(self) -> str: ...
    @property
    def warnings(self) -> list[str]: ...
    def info(self, payload_kg: float = ...) -> Report: ...

VehicleLike = Union[Vehicle, str, os.PathLike]
#: A catalog site id, or a site file's path (ending in .toml).
SiteLike = Union[str, os.PathLike]

class PayloadResult(Report):
    trajectory: Table
    site_note: Optional[str]
    payload_kg: float
    vehicle: str
    site: str
    target: Report
    orbit: Report
    launch_azimuth_deg: float
    max_q_kpa: float
    max_accel_g: float
    insertion_time_s: float
    flights: int
    stages: list[Report]
    loss_budget: Report
    margins: Report

class FlightResult(Report):
    trajectory: Table
    site_note: Optional[str]
    transfer: Optional[Report]
    payload_report: Optional[Report]
    notes: list[str]
    events: list[Report]

class DropzonesResult(Report):
    impacts: Table
    trajectory: Table
    site_note: Optional[str]

class PropellantSweep(Report):
    table: Table

def catalog_ids() -> list[str]: ...
def sites() -> Table: ...
def payload(vehicle: VehicleLike, site: SiteLike = ..., perigee_km: float = ..., apogee_km: Optional[float] = ...,
            inclination_deg: Optional[float] = ..., southbound: bool = ...,
            sample_interval_s: Optional[float] = ...,
            drop_zones: Optional[Union[str, os.PathLike]] = ...,
            argument_of_perigee_deg: Optional[float] = ..., trade_factors: bool = ...) -> PayloadResult: ...
def fly(vehicle: VehicleLike, payload_kg: Optional[float] = ..., site: SiteLike = ..., perigee_km: Optional[float] = ...,
        apogee_km: Optional[float] = ..., inclination_deg: Optional[float] = ..., southbound: bool = ...,
        sample_interval_s: Optional[float] = ..., open_loop: bool = ..., azimuth_deg: Optional[float] = ...,
        vertical_rise_s: Optional[float] = ..., pitch_over_speed_m_s: Optional[float] = ...,
        pitch_kick_deg: Optional[float] = ..., staging_fpa_deg: Optional[float] = ...,
        pitch_kick_duration_s: Optional[float] = ..., final_pitch_deg: Optional[float] = ...,
        gravity_turn_only: bool = ..., orbit: Optional[str] = ..., argument_of_perigee_deg: Optional[float] = ...,
        c3_km2_s2: Optional[float] = ..., declination_deg: Optional[float] = ...,
        main_engine_burn_s: Optional[float] = ...) -> FlightResult: ...
def dropzones(vehicle: VehicleLike, site: SiteLike = ..., perigee_km: Optional[float] = ...,
              apogee_km: Optional[float] = ..., inclination_deg: Optional[float] = ..., southbound: bool = ...,
              payload_kg: Optional[float] = ..., samples: int = ..., seed: int = ...,
              dispersions: Optional[Union[str, os.PathLike]] = ..., wind: Optional[Union[str, os.PathLike]] = ...,
              drop_zones: Optional[Union[str, os.PathLike]] = ..., orbit: Optional[str] = ...,
              argument_of_perigee_deg: Optional[float] = ..., c3_km2_s2: Optional[float] = ...,
              declination_deg: Optional[float] = ...) -> DropzonesResult: ...
def sweep(vehicles: Union[VehicleLike, Sequence[VehicleLike]], sites: Union[SiteLike, Sequence[SiteLike]] = ...,
          altitudes_km: Union[float, Sequence[float]] = ...,
          inclinations_deg: Union[None, float, str, Sequence[Union[None, float, str]]] = ..., southbound: bool = ...,
          out: Optional[Union[str, os.PathLike]] = ...,
          vary: Union[None, str, Tuple[str, Sequence[float]]] = ..., warm_start: bool = ...,
          out_dir: Optional[Union[str, os.PathLike]] = ...) -> Table: ...
def propellant(oxidizer: str, fuel: str, mixture_ratio: Union[float, str], chamber_pressure_bar: float,
               expansion_ratio: Optional[float] = ..., pressure_ratio: Optional[float] = ..., frozen: bool = ...,
               frozen_at_throat: bool = ..., ambient_pressure_bar: float = ...) -> Union[Report, PropellantSweep]: ...
def validate(table: Optional[Union[str, os.PathLike]] = ...) -> Report: ...
