function Close-VmmLibraryStore {
    <#
    .SYNOPSIS
        Closes a store opened by Open-VmmLibraryStore: when a copy engine is still writing (the run stopped
        early: an error, Ctrl+C), lets its workers finish the file in hand and closes its journal; then releases
        the lock.
    .PARAMETER Store
        The store (Open-VmmLibraryStore).
    .PARAMETER Engine
        The backup engine of the open set, when its journal may still be open.
    .EXAMPLE
        Close-VmmLibraryStore -Store $store -Engine $engine
    #>
    [CmdletBinding()]
    param(
        [Parameter(Mandatory = $true)]
        [object] $Store,

        [object] $Engine
    )

    try {
        if ($null -ne $Engine) {
            $Engine.Cancel()
            $null = $Engine.Wait(-1)
            $Engine.CloseJournal()
        }
    } finally {
        $Store.Lock.Dispose()
    }
}
