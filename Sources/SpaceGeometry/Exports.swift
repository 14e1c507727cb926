@_exported import SpaceCore
