"""The planned executor: graphql-core's executor, with each validated query planned once.

graphql-core executes an operation field by field: for every field of every object it
collects the selection, looks up the field's definition, builds a resolve info and the
arguments, calls the resolver and completes the value by inspecting the return type again.
On a 20-event timeline page that is about 800 fields, and about 65% of the request's time.
Most of that work depends only on the document, so :class:`PlannedExecutor` does it once
per operation and keeps the result, a *plan*: for each selection, the fields to run, each
with its definition, its field nodes and a completer compiled for its return type.
Running the plan leaves only what depends on the data:

- a plain attribute (a strawberry field with no resolver, no arguments, no permission and
  no extension) returning a leaf is read with :func:`operator.attrgetter`, without a resolve
  info (strawberry's resolver ignores it too);
- every other field is resolved as graphql-core resolves it: the same resolve info
  (strawberry's, through :meth:`build_resolve_info`), the same arguments
  (:func:`graphql.execution.values.get_argument_values`), the same resolver;
- awaitables (the request's DataLoaders) are gathered per selection and per list, as
  graphql-core gathers them, so loaders still batch one store call per level.

graphql-core stays the reference. Errors go through its own ``handle_field_error`` (the
same located errors, the same null propagation), messages are its own, and whatever a
plan does not cover runs on graphql-core's code: mutations and subscriptions, operations
using directives (``@skip``, ``@include``, ``@defer``, ``@stream``) or fragment
variables, introspection root fields, field middleware, an abort signal; and, inside a
plan, any value a completer does not expect (an async iterable, a non-list iterable) is
completed by graphql-core's ``complete_value``. ``TIMELINE_EXECUTOR=reference`` serves
with graphql-core alone; ``make test`` runs the GraphQL suites both ways and
``tests/api/test_execution.py`` compares the two answers, errors included.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Awaitable, Callable
from functools import partial
from operator import attrgetter
from typing import Any, ClassVar

import strawberry
from graphql import (
    FieldNode,
    GraphQLAbstractType,
    GraphQLEnumType,
    GraphQLError,
    GraphQLField,
    GraphQLID,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLOutputType,
    GraphQLResolveInfo,
    GraphQLScalarType,
    GraphQLString,
    OperationDefinitionNode,
    OperationType,
    SelectionSetNode,
    is_abstract_type,
    is_leaf_type,
    is_object_type,
)
from graphql.execution import ExecutionResult
from graphql.execution.collect_fields import FieldDetails, collect_fields, collect_subfields
from graphql.execution.executor import Executor, invalid_return_type_error
from graphql.execution.values import get_argument_values
from graphql.language import FragmentSpreadNode, InlineFragmentNode
from graphql.pyutils import Path, Undefined, gather_with_cancel
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext
from strawberry.types.base import StrawberryOptional

__all__ = ["PlannedExecutor", "planned_executor"]

Info = GraphQLResolveInfo[Any]

#: ``complete(executor, value, info, path)``: a value completed for one return type.
Complete = Callable[["PlannedExecutor", Any, Any, Any], Any]

_LIST_TYPES = (list, tuple)
_TEXT_TYPES = (GraphQLString, GraphQLID)


class _Step:
    """One field of a selection: what running it needs, fixed by the document.

    How the field resolves, fastest first: ``read(source)`` needs neither the resolve
    info nor arguments (a plain attribute, or a resolver method taking only ``self`` and
    arguments of built-in scalar types); ``call(source, info)`` is such a method asking for
    the info too; otherwise the field's own resolver, as graphql-core calls it. ``quick``:
    ``read`` answers a leaf, so no info is built at all.
    """

    __slots__ = (
        "args",
        "call",
        "complete",
        "details",
        "field_def",
        "key",
        "nodes",
        "parent",
        "quick",
        "read",
        "return_type",
        "typename",
    )

    def __init__(
        self,
        key: str,
        parent: GraphQLObjectType,
        details: list[FieldDetails],
        field_def: GraphQLField | None,
        complete: Complete | None,
        ex: PlannedExecutor,
    ) -> None:
        self.key = key
        self.parent = parent
        self.details = details
        self.nodes: list[FieldNode] = [d.node for d in details]
        self.field_def = field_def
        self.complete = complete
        # ``__typename`` is answered from the plan.
        self.typename = parent.name if field_def is None else None
        self.return_type: Any = field_def.type if field_def else None
        #: The arguments: True to compute them per request, else None (there are none).
        self.args = bool(field_def and (field_def.args or self.nodes[0].arguments)) or None
        self.read: Callable[[Any], Any] | None = None
        self.call: Callable[[Any, Info], Any] | None = None
        if field_def is not None:
            self.read, self.call = _direct(field_def, self.nodes[0], ex)
        unwrapped = getattr(self.return_type, "of_type", self.return_type)
        definition = field_def.extensions.get("strawberry-definition") if field_def else None
        asynchronous = bool(definition and definition.is_async)
        self.quick = (
            self.read is not None
            and not asynchronous
            and isinstance(self.return_type, GraphQLNonNull | GraphQLScalarType | GraphQLEnumType)
            and is_leaf_type(unwrapped)
        )

    def path(self, parent_path: Path | None) -> Path:
        return Path(parent_path, self.key, self.parent.name)


#: Argument types strawberry passes to resolvers as graphql-core coerced them.
_SCALAR_ARGUMENTS = (str, int, float, bool, strawberry.ID)


def _direct(
    field_def: GraphQLField, node: FieldNode, ex: PlannedExecutor
) -> tuple[Callable[[Any], Any] | None, Callable[[Any, Info], Any] | None]:
    """``(read, call)`` for a strawberry field strawberry would resolve without doing
    anything of its own beyond calling the method: no permission, no field extension, no
    exception handler, a resolver method (``self``, maybe ``info``) whose arguments are
    built-in scalars (strawberry passes those unconverted, under their Python names)."""
    definition = field_def.extensions.get("strawberry-definition")
    strawberry_schema = getattr(ex.schema, "_strawberry_schema", None)
    if definition is None or strawberry_schema is None or definition.extensions:
        return None, None
    resolver = definition.base_resolver
    if resolver is None:  # a plain attribute
        if field_def.args or not getattr(field_def.resolve, "_is_default", False):
            return None, None
        if definition.default_resolver is not getattr:
            return None, None
        return attrgetter(definition.python_name), None
    func = resolver.wrapped_func
    if (
        strawberry_schema.exception_handlers
        or not callable(func)
        or resolver.self_parameter is None
        or resolver.root_parameter is not None
        or resolver.parent_parameter is not None
    ):
        return None, None
    names = _argument_names(definition, strawberry_schema.config)
    if names is None:
        return None, None
    info_parameter = resolver.info_parameter
    if not field_def.args:
        if info_parameter is None:
            return func, None
        return None, _with_info(func, {}, info_parameter.name, definition, strawberry_schema)
    if node.arguments:  # given in the document: coerced per request
        return None, None
    # Only defaults: the same for every request.
    values = get_argument_values(field_def, node, ex.variable_values, None, ex.hide_suggestions)
    kwargs = {names[name]: value for name, value in values.items()}
    if info_parameter is None:
        return partial(func, **kwargs), None
    return None, _with_info(func, kwargs, info_parameter.name, definition, strawberry_schema)


def _argument_names(definition: Any, config: Any) -> dict[str, str] | None:
    """The Python name of each GraphQL argument, if all are built-in scalars."""
    names = {}
    for argument in definition.arguments:
        kind = argument.type
        if isinstance(kind, StrawberryOptional):
            kind = kind.of_type
        if kind not in _SCALAR_ARGUMENTS:
            return None
        names[config.name_converter.from_argument(argument)] = argument.python_name
    return names


def _with_info(
    func: Callable[..., Any], kwargs: dict[str, Any], name: str, definition: Any, schema: Any
) -> Callable[[Any, Info], Any]:
    info_class = schema.config.info_class

    def call(source: Any, info: Info) -> Any:
        return func(source, **kwargs, **{name: info_class(_raw_info=info, _field=definition)})

    return call


class _Plan:
    """The plan of one operation: its root selection."""

    __slots__ = ("root",)

    def __init__(self, root: list[_Step]) -> None:
        self.root = root


class PlannedExecutor(StrawberryGraphQLCoreExecutionContext):
    """strawberry's execution context, running validated queries from cached plans."""

    #: Plans by the id of their operation, which each entry keeps alive so that the id is
    #: not reused; None for an operation plans do not cover. Most recently used last;
    #: :func:`planned_executor` gives each schema a cache of its own.
    plans: ClassVar[OrderedDict[int, tuple[OperationDefinitionNode, _Plan | None]]] = OrderedDict()
    plans_size: ClassVar[int] = 256

    # --- the operation ------------------------------------------------------------------------

    def execute_operation(self, serially: bool | None = None) -> Any:
        plan = self._plan() if self._plannable() else None
        if plan is None:
            return super().execute_operation(serially)
        try:
            data = self._run(plan.root, self.root_value, None)
        except GraphQLError as error:
            self.collected_errors.add(error, None)
            return self.finish(self.build_response(None))
        if self.is_awaitable(data):
            return self._await_operation(data)
        return self.finish(self.build_response(data))

    async def _await_operation(self, data: Awaitable[dict[str, Any]]) -> ExecutionResult:
        try:
            return self.build_response(await data)  # type: ignore[return-value]
        except GraphQLError as error:
            self.collected_errors.add(error, None)
            return self.build_response(None)  # type: ignore[return-value]

    def _plannable(self) -> bool:
        """What only this request can tell: no abort signal and no field middleware."""
        middleware = self.middleware_manager
        return self.abort_signal is None and (
            middleware is None or not getattr(middleware, "_middleware_resolvers", None)
        )

    def _plan(self) -> _Plan | None:
        """The operation's plan, made on first use; None for what plans do not cover."""
        plans, key = self.plans, id(self.operation)
        cached = plans.get(key)
        if cached is not None and cached[0] is self.operation:
            plans.move_to_end(key)
            return cached[1]
        plan = self._make_plan()
        plans[key] = (self.operation, plan)
        if len(plans) > self.plans_size:
            plans.popitem(last=False)
        return plan

    def _make_plan(self) -> _Plan | None:
        operation = self.operation
        if operation.operation is not OperationType.QUERY or not _covered(
            operation, self.fragments
        ):
            return None
        root_type = self.schema.query_type
        if root_type is None:
            return None
        fields = collect_fields(
            self.schema,
            self.fragments,
            self.variable_values,
            root_type,
            operation,
            self.hide_suggestions,
        ).grouped_field_set
        if any(key.startswith("__") and key != "__typename" for key in _field_names(fields)):
            return None  # introspection
        return _Plan(self._steps(root_type, fields))

    # --- planning -----------------------------------------------------------------------------

    def _steps(
        self, parent: GraphQLObjectType, fields: dict[str, list[FieldDetails]]
    ) -> list[_Step]:
        steps = []
        for key, details in fields.items():
            name = details[0].node.name.value
            if name == "__typename":
                steps.append(_Step(key, parent, details, None, None, self))
                continue
            field_def = self.schema.get_field(parent, name)
            if field_def is None:
                continue  # graphql-core skips it too (validation has already refused it)
            complete = self._completer(field_def.type, details, parent.name, name)
            steps.append(_Step(key, parent, details, field_def, complete, self))
        return steps

    def _subplan(self, object_type: GraphQLObjectType, details: list[FieldDetails]) -> list[_Step]:
        fields = collect_subfields(
            self.schema,
            self.fragments,
            self.variable_values,
            self.operation,
            object_type,
            details,
            self.hide_suggestions,
        ).grouped_field_set
        return self._steps(object_type, fields)

    def _completer(
        self, return_type: GraphQLOutputType, details: list[FieldDetails], parent: str, name: str
    ) -> Complete:
        if isinstance(return_type, GraphQLNonNull):
            return _non_null(
                self._completer(return_type.of_type, details, parent, name),
                f"Cannot return null for non-nullable field {parent}.{name}.",
            )
        if isinstance(return_type, GraphQLList):
            item_type = return_type.of_type
            return _list(
                return_type, item_type, self._completer(item_type, details, parent, name), details
            )
        if is_leaf_type(return_type):
            return _leaf(return_type)
        if is_object_type(return_type):
            assert isinstance(return_type, GraphQLObjectType)
            return _object(return_type, self._subplan(return_type, details), details)
        assert is_abstract_type(return_type)
        return _abstract(return_type, details)

    # --- running ------------------------------------------------------------------------------

    def _run(self, steps: list[_Step], source: Any, path: Path | None) -> Any:
        """A selection's fields on ``source``: a dict, or an awaitable of one."""
        results: dict[str, Any] = {}
        pending: list[str] = []
        is_awaitable = self.is_awaitable
        try:
            for step in steps:
                value = self._field(step, source, path)
                results[step.key] = value
                if is_awaitable(value):
                    pending.append(step.key)
        except Exception:
            if pending:
                self.settle_in_background([results[key] for key in pending])
            raise
        if not pending:
            return results
        return _gather(results, pending)

    def _field(self, step: _Step, source: Any, path: Path | None) -> Any:
        if step.typename is not None:
            return step.typename
        complete = step.complete
        assert complete is not None
        if step.quick:  # no info, no arguments
            try:
                return complete(self, step.read(source), None, None)  # type: ignore[misc]
            except Exception as raw_error:
                self.handle_field_error(raw_error, step.return_type, step.details, step.path(path))
                return None
        field_path = step.path(path)
        field_def = step.field_def
        assert field_def is not None
        info = self.build_resolve_info(field_def, step.nodes, step.parent, field_path)
        try:
            if step.read is not None:
                result = step.read(source)
            elif step.call is not None:
                result = step.call(source, info)
            else:
                args = (
                    get_argument_values(
                        field_def,
                        step.nodes[0],
                        self.variable_values,
                        step.details[0].fragment_variable_values,
                        self.hide_suggestions,
                    )
                    if step.args
                    else {}
                )
                result = (field_def.resolve or self.field_resolver)(source, info, **args)
            if self.is_awaitable(result):
                return self._complete_later(step, result, info, field_path)
            completed = complete(self, result, info, field_path)
            if self.is_awaitable(completed):
                return self._settle(step.return_type, step.details, completed, field_path)
            return completed
        except Exception as raw_error:
            self.handle_field_error(raw_error, step.return_type, step.details, field_path)
            return None

    async def _complete_later(
        self, step: _Step, result: Awaitable[Any], info: Info, path: Path
    ) -> Any:
        try:
            completed = step.complete(self, await result, info, path)  # type: ignore[misc]
            if self.is_awaitable(completed):
                completed = await completed
        except Exception as raw_error:
            self.handle_field_error(raw_error, step.return_type, step.details, path)
            return None
        return completed

    async def _settle(
        self,
        return_type: GraphQLOutputType,
        details: list[FieldDetails],
        completed: Awaitable[Any],
        path: Path,
    ) -> Any:
        try:
            return await completed
        except Exception as raw_error:
            self.handle_field_error(raw_error, return_type, details, path)
            return None


def planned_executor(plans_size: int = 256) -> type[PlannedExecutor]:
    """A :class:`PlannedExecutor` class with a plan cache of its own (one per schema)."""
    return type(
        "PlannedExecutor",
        (PlannedExecutor,),
        {"plans": OrderedDict(), "plans_size": plans_size, "__module__": __name__},
    )


# --- what plans cover --------------------------------------------------------------------------


def _covered(operation: OperationDefinitionNode, fragments: dict[str, Any]) -> bool:
    """No directives anywhere (the plan is then the same for every variable value) and no
    fragment variables."""
    if operation.directives:
        return False
    for details in fragments.values():
        definition = details.definition
        if definition.directives or definition.variable_definitions:
            return False
        if not _plain(definition.selection_set):
            return False
    return _plain(operation.selection_set)


def _plain(selection_set: SelectionSetNode | None) -> bool:
    for selection in selection_set.selections if selection_set else ():
        if selection.directives:
            return False
        if isinstance(selection, FragmentSpreadNode):
            if getattr(selection, "arguments", None):
                return False
            continue
        if isinstance(selection, FieldNode | InlineFragmentNode) and not _plain(
            selection.selection_set
        ):
            return False
    return True


def _field_names(fields: dict[str, list[FieldDetails]]) -> list[str]:
    return [details[0].node.name.value for details in fields.values()]


# --- completers, one per return type -----------------------------------------------------------


def _non_null(inner: Complete, message: str) -> Complete:
    def complete(ex: PlannedExecutor, value: Any, info: Any, path: Any) -> Any:
        if isinstance(value, Exception):
            raise value
        completed = inner(ex, value, info, path)
        if completed is None:
            raise TypeError(message)
        return completed

    return complete


def _leaf(leaf_type: Any) -> Complete:
    text = leaf_type in _TEXT_TYPES  # whose output coercion returns a str as it is

    def complete(ex: PlannedExecutor, value: Any, info: Any, path: Any) -> Any:
        if value is None or value is Undefined:
            return None
        if text and type(value) is str:
            return value
        if isinstance(value, Exception):
            raise value
        return Executor.complete_leaf_value(leaf_type, value)

    return complete


def _list(
    list_type: GraphQLList[Any],
    item_type: GraphQLOutputType,
    item: Complete,
    details: list[FieldDetails],
) -> Complete:
    def complete(ex: PlannedExecutor, value: Any, info: Any, path: Any) -> Any:
        if value is None or value is Undefined:
            return None
        if type(value) not in _LIST_TYPES:
            if isinstance(value, Exception):
                raise value
            # Iterables and async iterables: graphql-core's own completion.
            return ex.complete_list_value(list_type, details, info, path, value, None)
        is_awaitable = ex.is_awaitable
        completed: list[Any] = []
        pending: list[int] = []
        try:
            for index, element in enumerate(value):
                item_path = Path(path, index, None)
                if is_awaitable(element):
                    later = _item_later(ex, item, item_type, details, element, info, item_path)
                    completed.append(later)
                    pending.append(index)
                    continue
                try:
                    done = item(ex, element, info, item_path)
                    if is_awaitable(done):
                        done = ex._settle(item_type, details, done, item_path)
                        pending.append(index)
                except Exception as raw_error:
                    ex.handle_field_error(raw_error, item_type, details, item_path)
                    done = None
                completed.append(done)
        except Exception:
            if pending:
                ex.settle_in_background([completed[index] for index in pending])
            raise
        if not pending:
            return completed
        return _gather(completed, pending)

    return complete


async def _item_later(
    ex: PlannedExecutor,
    item: Complete,
    item_type: GraphQLOutputType,
    details: list[FieldDetails],
    element: Awaitable[Any],
    info: Any,
    path: Path,
) -> Any:
    try:
        done = item(ex, await element, info, path)
        if ex.is_awaitable(done):
            done = await done
    except Exception as raw_error:
        ex.handle_field_error(raw_error, item_type, details, path)
        return None
    return done


def _object(
    object_type: GraphQLObjectType, steps: list[_Step], details: list[FieldDetails]
) -> Complete:
    is_type_of = object_type.is_type_of

    def complete(ex: PlannedExecutor, value: Any, info: Any, path: Any) -> Any:
        if value is None or value is Undefined:
            return None
        if isinstance(value, Exception):
            raise value
        if is_type_of is not None:
            matches = is_type_of(value, info)
            if ex.is_awaitable(matches):
                return ex.complete_object_value(object_type, details, info, path, value, None)
            if not matches:
                raise invalid_return_type_error(object_type, value, details)
        return ex._run(steps, value, path)

    return complete


def _abstract(abstract_type: GraphQLAbstractType, details: list[FieldDetails]) -> Complete:
    # The plans of the runtime types, made as values of each type first arrive, by the
    # executor of that request: what planning reads (the schema, the document) is the same
    # for every request running the plan, and a plan must not keep a request alive.
    by_type: dict[str, Complete] = {}

    def complete(ex: PlannedExecutor, value: Any, info: Any, path: Any) -> Any:
        if value is None or value is Undefined:
            return None
        if isinstance(value, Exception):
            raise value
        resolve_type = abstract_type.resolve_type or ex.type_resolver
        name = resolve_type(value, info, abstract_type)
        if not isinstance(name, str):  # an awaitable, or an invalid answer: graphql-core's
            if ex.is_awaitable(name):
                name.close()  # type: ignore[attr-defined]  # graphql-core resolves it again
            return ex.complete_value(abstract_type, details, info, path, value, None)
        runtime = by_type.get(name)
        if runtime is None:
            object_type = ex.ensure_valid_runtime_type(name, abstract_type, details, info, value)
            runtime = by_type[name] = _object(
                object_type, ex._subplan(object_type, details), details
            )
        return runtime(ex, value, info, path)

    return complete


async def _gather(values: Any, pending: list[Any]) -> Any:
    """``values`` (a selection's dict by key, or a list's items by index) with its
    ``pending`` entries awaited in place, together, as graphql-core gathers them."""
    if len(pending) == 1:
        key = pending[0]
        values[key] = await values[key]
    else:
        settled = await gather_with_cancel(*(values[key] for key in pending))
        for key, value in zip(pending, settled, strict=True):
            values[key] = value
    return values
