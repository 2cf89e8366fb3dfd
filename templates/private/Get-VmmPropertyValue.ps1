function Get-VmmPropertyValue {
    <#
    .SYNOPSIS
        Reads a property of a VMM object by name, returning $null when the object lacks it (strict-mode safe).
        An object value that has a Name (a host, a VM, a cluster) is returned as that name when -AsName is given.
    #>
    [CmdletBinding()]
    param(
        [Parameter(Mandatory = $true)]
        [AllowNull()]
        $InputObject,

        [Parameter(Mandatory = $true)]
        [string] $Name,

        [switch] $AsName
    )

    if ($null -eq $InputObject) { return $null }
    $property = $InputObject.PSObject.Properties[$Name]
    if ($null -eq $property) { return $null }
    $value = $property.Value
    if ($AsName -and $null -ne $value -and -not ($value -is [string])) {
        $nameProperty = $value.PSObject.Properties['Name']
        if ($null -ne $nameProperty) { return [string]$nameProperty.Value }
        return [string]$value
    }
    $value
}
