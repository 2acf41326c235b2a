import { Type, type Static } from 'typebox';
import { Id, LatLng, Name, Nullable, Text, Timestamp } from '../../schemas.ts';

export const MATERIAL_KINDS = ['sign', 'literature', 'shirt', 'flag', 'banner', 'other'] as const;
export const MaterialKind = Type.Enum(MATERIAL_KINDS);
export type MaterialKind = Static<typeof MaterialKind>;

export const MOVEMENT_KINDS = [
  'received',
  'allocated',
  'transferred',
  'distributed',
  'returned',
  'lost',
  'damaged',
  'reversal',
] as const;
export const MovementKind = Type.Enum(MOVEMENT_KINDS, {
  description:
    'received: supplier → depot; allocated: depot → contingent; transferred: between depots ' +
    'and contingents; distributed: handed out to the public; returned: contingent → depot; ' +
    'lost, damaged: out of stock; reversal: undoes the movement named in `reverses`.',
});
export type MovementKind = Static<typeof MovementKind>;

export const HOLDER_KINDS = ['supplier', 'depot', 'contingent', 'public', 'lost'] as const;
export const HolderRef = Type.Object({
  kind: Type.Enum(HOLDER_KINDS, {
    description:
      'supplier: where received copies come from; public: handed out; lost: lost or damaged.',
  }),
  id: Nullable(Id),
});
export type HolderRef = Static<typeof HolderRef>;

/** The most one movement, request or level may count: more than any march hands out. */
export const MAX_QUANTITY = 1_000_000;
const Quantity = Type.Integer({ minimum: 1, maximum: MAX_QUANTITY });
const Level = Nullable(Type.Integer({ minimum: 0, maximum: MAX_QUANTITY }));

export const Material = Type.Object({
  id: Id,
  kind: MaterialKind,
  name: Type.String(),
  language: Nullable(Type.String()),
  unit: Type.String(),
  slogan: Nullable(Type.String()),
  createdAt: Timestamp,
});
export type Material = Static<typeof Material>;

export const CreateMaterialBody = Type.Object(
  {
    kind: MaterialKind,
    name: Name(120, { description: 'e.g. "Red Flag — May issue".' }),
    language: Type.Optional(
      Type.String({
        pattern: '^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$',
        maxLength: 35,
        description: 'BCP 47 language tag of the literature, e.g. "es".',
      }),
    ),
    unit: Type.Optional(Name(30, { description: 'Defaults by kind: copies, signs, shirts…' })),
    slogan: Type.Optional(Name(200, { description: 'What a sign says; signs only.' })),
  },
  { additionalProperties: false },
);
export type CreateMaterialBody = Static<typeof CreateMaterialBody>;

export const Depot = Type.Object({
  id: Id,
  name: Type.String(),
  position: LatLng,
  createdAt: Timestamp,
});
export type Depot = Static<typeof Depot>;

export const CreateDepotBody = Type.Object(
  { name: Name(120), position: LatLng },
  { additionalProperties: false },
);
export type CreateDepotBody = Static<typeof CreateDepotBody>;

export const Movement = Type.Object({
  id: Id,
  number: Type.Integer({ description: 'Ledger order; listMovements pages by it.' }),
  materialId: Id,
  kind: MovementKind,
  quantity: Type.Integer(),
  from: HolderRef,
  to: HolderRef,
  position: Nullable(LatLng),
  note: Type.String(),
  reversesId: Nullable(Id),
  reversedById: Nullable(Id),
  requestId: Nullable(Id),
  recordedByName: Nullable(Type.String()),
  createdAt: Timestamp,
});
export type Movement = Static<typeof Movement>;

export const RecordMovementBody = Type.Object(
  {
    materialId: Id,
    kind: MovementKind,
    quantity: Type.Optional(Quantity),
    fromDepotId: Type.Optional(Id),
    fromContingentId: Type.Optional(Id),
    toDepotId: Type.Optional(Id),
    toContingentId: Type.Optional(Id),
    position: Type.Optional(LatLng),
    note: Type.Optional(Text(500)),
    reverses: Type.Optional(Id),
  },
  { additionalProperties: false },
);
export type RecordMovementBody = Static<typeof RecordMovementBody>;

export const BalanceChange = Type.Object({ holder: HolderRef, quantity: Type.Integer() });
export type BalanceChange = Static<typeof BalanceChange>;

export const RecordedMovement = Type.Object({
  movement: Movement,
  balances: Type.Array(BalanceChange, {
    description: 'The new balances of the stock holders it moved between.',
  }),
});
export type RecordedMovement = Static<typeof RecordedMovement>;

export const ListMovementsQuery = Type.Object(
  {
    materialId: Type.Optional(Id),
    contingentId: Type.Optional(Id),
    before: Type.Optional(
      Type.String({
        pattern: '^[0-9]{1,15}$',
        maxLength: 15,
        description: 'Movements numbered below this.',
      }),
    ),
    limit: Type.Optional(
      Type.String({ pattern: '^([1-9][0-9]?|[1-4][0-9]{2}|500)$', description: '1–500; 100.' }),
    ),
  },
  { additionalProperties: false },
);
export type ListMovementsQuery = Static<typeof ListMovementsQuery>;

export const MovementPage = Type.Object({
  movements: Type.Array(Movement),
  nextBefore: Nullable(Type.Integer({ description: 'Pass as `before` for older ones.' })),
});
export type MovementPage = Static<typeof MovementPage>;

export const HolderStock = Type.Object({
  holder: HolderRef,
  name: Type.String(),
  onHand: Type.Integer(),
  receivedIn: Type.Integer({ description: 'Moved in (allocated, transferred, returned), net.' }),
  handedOut: Type.Integer(),
  lost: Type.Integer({ description: 'Lost or damaged.' }),
  planned: Nullable(Type.Integer()),
  lowStockThreshold: Nullable(Type.Integer()),
  low: Type.Boolean(),
});
export type HolderStock = Static<typeof HolderStock>;

export const MaterialStock = Type.Object({
  material: Material,
  totals: Nullable(
    Type.Object({
      received: Type.Integer(),
      onHand: Type.Integer(),
      handedOut: Type.Integer(),
      lost: Type.Integer(),
    }),
  ),
  holders: Type.Array(HolderStock),
  handOuts: Type.Array(Type.Object({ from: Timestamp, quantity: Type.Integer() }), {
    description: 'Handed out per quarter hour, oldest first.',
  }),
});
export type MaterialStock = Static<typeof MaterialStock>;

export const Stock = Type.Object({ materials: Type.Array(MaterialStock) });
export type Stock = Static<typeof Stock>;

export const SetMaterialLevelBody = Type.Object(
  {
    depotId: Type.Optional(Id),
    contingentId: Type.Optional(Id),
    planned: Level,
    lowStockThreshold: Level,
  },
  { additionalProperties: false },
);
export type SetMaterialLevelBody = Static<typeof SetMaterialLevelBody>;

export const MaterialLevel = Type.Object({
  materialId: Id,
  holder: HolderRef,
  planned: Nullable(Type.Integer()),
  lowStockThreshold: Nullable(Type.Integer()),
});
export type MaterialLevel = Static<typeof MaterialLevel>;

export const MaterialRequestStatus = Type.Enum(['pending', 'fulfilled', 'declined']);

export const MaterialRequest = Type.Object({
  id: Id,
  materialId: Id,
  contingentId: Id,
  quantity: Type.Integer(),
  note: Type.String(),
  status: MaterialRequestStatus,
  requestedByName: Nullable(Type.String()),
  declineReason: Nullable(Type.String()),
  movementId: Nullable(Id),
  createdAt: Timestamp,
  decidedAt: Nullable(Timestamp),
});
export type MaterialRequest = Static<typeof MaterialRequest>;

export const CreateMaterialRequestBody = Type.Object(
  { materialId: Id, contingentId: Id, quantity: Quantity, note: Type.Optional(Text(500)) },
  { additionalProperties: false },
);
export type CreateMaterialRequestBody = Static<typeof CreateMaterialRequestBody>;

export const DecideMaterialRequestBody = Type.Object(
  {
    decision: Type.Enum(['fulfil', 'decline']),
    fromDepotId: Type.Optional(Id),
    fromContingentId: Type.Optional(Id),
    quantity: Type.Optional(
      Type.Integer({
        minimum: 1,
        maximum: MAX_QUANTITY,
        description: 'Defaults to the quantity asked for.',
      }),
    ),
    reason: Type.Optional(Name(300, { description: 'Required to decline.' })),
  },
  { additionalProperties: false },
);
export type DecideMaterialRequestBody = Static<typeof DecideMaterialRequestBody>;

export const MaterialRequestDecision = Type.Object({
  request: MaterialRequest,
  movement: Nullable(Movement),
});
export type MaterialRequestDecision = Static<typeof MaterialRequestDecision>;

export const ListMaterialRequestsQuery = Type.Object(
  { status: Type.Optional(MaterialRequestStatus) },
  { additionalProperties: false },
);

export const MaterialParams = Type.Object(
  { eventId: Id, materialId: Id },
  { additionalProperties: false },
);
export const MaterialRequestParams = Type.Object(
  { eventId: Id, requestId: Id },
  { additionalProperties: false },
);
