import HummingbirdTesting
import Testing
@testable import Workbench
