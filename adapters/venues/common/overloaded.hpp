#pragma once
// `std::visit(Overloaded{[](A&) {...}, [](B&) {...}}, variant)`: one lambda per alternative.

namespace troupe::venues {

/// Visitor built from lambdas; each contributes its call operator.
template <class... F>
struct Overloaded : F... {
  using F::operator()...;
};
template <class... F>
Overloaded(F...) -> Overloaded<F...>;

}  // namespace troupe::venues
