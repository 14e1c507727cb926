// What a front end sees through the workspace: the typed results of every question and the
// presentation of them. A front end imports SpacePlanKit and nothing below it.
@_exported import Allocation
@_exported import BuildOut
@_exported import Cartography
@_exported import LandSupply
@_exported import Renewal
@_exported import Reports
@_exported import SpaceData
@_exported import SpaceMap
@_exported import SpaceCore
